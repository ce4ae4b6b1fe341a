import { describe, expect, it } from 'vitest';
import type { Order, Payment } from '../../contracts/orders.js';
import type { Reservation } from '../../contracts/products.js';
import type { PlacedOrder } from './customers.js';
import { checkInvariants, INVARIANTS, type Snapshot } from './invariants.js';

// The checker must bite: a consistent world passes, and each kind of corruption is named.
const at = '2026-01-01T00:00:00.000Z';
function order(id: string, status: Order['status'], quantity = 1, failureReason: Order['failureReason'] = null): Order {
  return {
    id,
    customerId: 'c1',
    status,
    failureReason,
    items: [{ productId: 'p1', name: 'P', quantity, unitPriceCents: 100 }],
    totalCents: 100 * quantity,
    currency: 'USD',
    paymentMethod: 'tok_visa',
    createdAt: at,
    updatedAt: at,
    workflowId: id,
    steps: [],
  };
}
const payment = (orderId: string, status: Payment['status'], amountCents = 100): Payment => ({
  id: `pay-${orderId}`,
  orderId,
  status,
  amountCents,
  currency: 'USD',
  declineCode: null,
  createdAt: at,
  updatedAt: at,
});
const reservation = (orderId: string, status: Reservation['status']): Reservation => ({
  orderId,
  status,
  lines: [{ productId: 'p1', quantity: 1 }],
});
const placed = (key: string, ...ids: string[]): PlacedOrder => ({
  customer: 0,
  key,
  items: [],
  paymentMethod: 'tok_visa',
  orderIds: new Set(ids),
  outcome: ids.length ? 202 : 'gave-up',
  attempts: [],
});

function world(): { placed: PlacedOrder[]; snapshot: Snapshot; finalInTime: Set<string> } {
  return {
    placed: [placed('k1', 'o1'), placed('k2', 'o2'), placed('k3', 'o3')],
    snapshot: {
      orders: [order('o1', 'CONFIRMED', 2), order('o2', 'FAILED', 1, 'PAYMENT_DECLINED'), order('o3', 'CANCELLED')],
      payments: new Map([
        ['o1', payment('o1', 'captured', 200)],
        ['o2', payment('o2', 'declined')],
        ['o3', payment('o3', 'voided')],
      ]),
      reservations: new Map([
        ['o1', reservation('o1', 'committed')],
        ['o2', reservation('o2', 'released')],
      ]),
      stock: new Map([['p1', { initial: 10, available: 8 }]]),
    },
    finalInTime: new Set(['o1', 'o2', 'o3']),
  };
}
const found = (w: ReturnType<typeof world>) =>
  Object.entries(checkInvariants(w.placed, w.snapshot, w.finalInTime))
    .filter(([, v]) => v.length > 0)
    .map(([name]) => name);

describe('checkInvariants', () => {
  it('passes a consistent world', () => {
    expect(found(world())).toEqual([]);
  });

  it('does not balance stock while an order is PENDING, and says so', () => {
    const w = world();
    w.placed.push(placed('k4', 'o4'));
    w.finalInTime.add('o4');
    w.snapshot.orders.push(order('o4', 'PENDING'));
    expect(checkInvariants(w.placed, w.snapshot, w.finalInTime)['stock not conserved']).toEqual([
      'not checked: orders still PENDING',
    ]);
  });

  it.each([
    ['accepted order not final in time', (w: ReturnType<typeof world>) => w.finalInTime.delete('o3')],
    ['idempotency key with more than one order', (w: ReturnType<typeof world>) => w.placed[0]!.orderIds.add('o2')],
    [
      'idempotency key with more than one order',
      (w: ReturnType<typeof world>) => w.snapshot.orders.push(order('o4', 'FAILED', 1, 'OUT_OF_STOCK')),
    ],
    ['stock not conserved', (w: ReturnType<typeof world>) => w.snapshot.stock.set('p1', { initial: 10, available: 9 })],
    [
      'confirmed order without exactly its captured payment',
      (w: ReturnType<typeof world>) => w.snapshot.payments.set('o1', payment('o1', 'captured', 100)),
    ],
    [
      'failed or cancelled order holding money',
      (w: ReturnType<typeof world>) => w.snapshot.payments.set('o3', payment('o3', 'authorized')),
    ],
    [
      'reservation held by a final order',
      (w: ReturnType<typeof world>) => {
        w.snapshot.reservations.set('o2', reservation('o2', 'held'));
        w.snapshot.stock.set('p1', { initial: 10, available: 7 });
      },
    ],
  ] as const)('names a violation of "%s"', (invariant, corrupt) => {
    const w = world();
    corrupt(w);
    expect(found(w)).toEqual([invariant]);
    expect(INVARIANTS).toContain(invariant);
  });
});
