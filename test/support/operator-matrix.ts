import { SagaStep } from '../../contracts/order-saga.js';
import type { OrderStatus } from '../../contracts/orders.js';
import { OperatorAction } from './operator-actions.js';

export type FinalStatus = Exclude<OrderStatus, 'PENDING'>;

/** A point between two steps of the saga, where an operator may act. */
export interface Boundary {
  name: string;
  /** The saga's next call(s), held at the gate while the operator acts. */
  hold: string[];
  /** Calls that must have been answered first (a step running beside a held one). */
  done?: string[];
  /** The boundary is the cancellation window itself: nothing is held. */
  inWindow?: boolean;
  /** Whether the saga still takes a cancel signal here (it stops once it asks to pass the point of no return). */
  signalCancels: boolean;
}

export const boundaries: Boundary[] = [
  { name: 'after getCustomer + priceItems (createOrder in flight)', hold: [SagaStep.createOrder], signalCancels: true },
  {
    name: 'after createOrder (reserveInventory + authorizePayment in flight)',
    hold: [SagaStep.reserveInventory, SagaStep.authorizePayment],
    signalCancels: true,
  },
  { name: 'after reserve + authorize, inside the cancellation window', hold: [], inWindow: true, signalCancels: true },
  { name: 'window over (pointOfNoReturn in flight)', hold: [SagaStep.pointOfNoReturn], signalCancels: false },
  {
    name: 'after pointOfNoReturn (capturePayment + commitInventory in flight)',
    hold: [SagaStep.capturePayment, SagaStep.commitInventory],
    signalCancels: false,
  },
  {
    name: 'after commitInventory (capturePayment in flight)',
    hold: [SagaStep.capturePayment],
    done: [SagaStep.commitInventory],
    signalCancels: false,
  },
  {
    name: 'after capturePayment (commitInventory in flight)',
    hold: [SagaStep.commitInventory],
    done: [SagaStep.capturePayment],
    signalCancels: false,
  },
  { name: 'after capture + commit (finalize in flight)', hold: ['finalize-CONFIRMED'], signalCancels: false },
];

/** One operator action, and what becomes of the call held at the boundary. */
export interface Column {
  name: string;
  action: OperatorAction;
  /** The held call goes on to the service, or never arrives (the worker died with it). */
  inFlight: 'release' | 'lose';
}

export const columns: Column[] = [
  { name: 'terminate (in-flight call lost)', action: OperatorAction.terminate, inFlight: 'lose' },
  { name: 'terminate (in-flight call lands)', action: OperatorAction.terminate, inFlight: 'release' },
  { name: 'cancel', action: OperatorAction.cancel, inFlight: 'release' },
  { name: OperatorAction.resetFirst, action: OperatorAction.resetFirst, inFlight: 'release' },
  { name: OperatorAction.resetLast, action: OperatorAction.resetLast, inFlight: 'release' },
  { name: OperatorAction.signalCancel, action: OperatorAction.signalCancel, inFlight: 'release' },
];

/**
 * The final status a cell must reach. Once the orders service granted the point of no return the order
 * completes, whoever finishes it; before that, a stopped saga means CANCELLED. A reset replays the saga,
 * which completes; an operator's cancel signal counts only while the saga still takes cancels.
 */
export function expectedStatus(boundary: Boundary, column: Column, pointOfNoReturnRecorded: boolean): FinalStatus {
  if (column.action === OperatorAction.resetFirst || column.action === OperatorAction.resetLast) return 'CONFIRMED';
  if (column.action === OperatorAction.signalCancel) return boundary.signalCancels ? 'CANCELLED' : 'CONFIRMED';
  return pointOfNoReturnRecorded ? 'CONFIRMED' : 'CANCELLED';
}
