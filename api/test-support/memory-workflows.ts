import type { OrderSagaState, PlaceOrderInput } from '../../contracts/order-saga.js';
import { WORKFLOW_TYPE } from '../../contracts/order-saga.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import type { OrderMemo, OrderWorkflows } from '../orders/workflow-port.js';

interface Run {
  input: PlaceOrderInput;
  memo: OrderMemo;
  summary: string;
  running: boolean;
  state: OrderSagaState;
  startTime: Date;
}

/** An in-memory Temporal stand-in with the same start/describe semantics (an existing id, closed too, is not started again). */
export function createMemoryOrderWorkflows() {
  const runs = new Map<string, Run>();
  const starts: PlaceOrderInput[] = [];
  const described: string[] = [];
  const queried: string[] = [];
  let temporalDown = false;
  let queryFails = false;
  const run = (id: string) => {
    const found = runs.get(id);
    if (!found) throw new Error(`no workflow ${id}`);
    return found;
  };
  const workflows: OrderWorkflows = {
    async start(input, memo, summary) {
      if (temporalDown) throw new ServiceUnavailableError('temporal', 'down');
      starts.push(input);
      if (runs.has(input.orderId)) return false;
      const state: OrderSagaState = {
        orderId: input.orderId,
        customerId: input.customerId,
        status: 'PENDING',
        failureReason: null,
        currency: input.currency,
        items: input.items.map((i) => ({ ...i, name: null, unitPriceCents: null })),
        totalCents: null,
        cancellable: true,
        steps: [],
      };
      runs.set(input.orderId, { input, memo, summary, running: true, state, startTime: new Date() });
      return true;
    },
    async describe(id) {
      described.push(id);
      if (temporalDown) throw new ServiceUnavailableError('temporal', 'down');
      const found = runs.get(id);
      if (!found) return undefined;
      return {
        workflowId: id,
        workflowType: WORKFLOW_TYPE,
        running: found.running,
        status: found.running ? 'RUNNING' : 'COMPLETED',
        customerId: found.input.customerId,
        memo: found.memo,
        startTime: found.startTime,
        closeTime: found.running ? undefined : new Date(),
      };
    },
    async query(id) {
      queried.push(id);
      if (queryFails || temporalDown) throw new Error('query timed out');
      return structuredClone(run(id).state);
    },
    /** The saga double turns back at once when it is still cancellable. */
    async signalCancel(id) {
      if (temporalDown) throw new ServiceUnavailableError('temporal', 'down');
      const found = runs.get(id);
      if (!found?.running || !found.state.cancellable) return;
      found.state = {
        ...found.state,
        status: 'CANCELLED',
        cancellable: false,
        steps: [...found.state.steps, { name: 'cancel', status: 'completed', at: new Date().toISOString() }],
      };
      found.running = false;
    },
    async ping() {
      if (temporalDown) throw new ServiceUnavailableError('temporal', 'down');
    },
  };
  return {
    workflows,
    runs,
    starts,
    /** Ids of every describe call, in order. */
    described,
    /** Ids of every query, in order. */
    queried,
    setTemporalDown: (down: boolean) => void (temporalDown = down),
    setQueryFails: (fails: boolean) => void (queryFails = fails),
  };
}
