import { describe, expect, it } from 'vitest';
import type { Notification } from '../../contracts/notifications.js';
import type { Order } from '../../contracts/orders.js';
import type { CancelRequest } from './customers.js';
import type { DELIVERY_INVARIANTS } from './delivery.js';
import { checkDelivery, type DeliveryFacts } from './delivery.js';

// The delivery checker must bite: a consistent world passes, and each kind of loss is named.
const at = '2026-01-01T00:00:00.000Z';
const order = (id: string, status: Order['status']): Order => ({
  id,
  customerId: 'c1',
  status,
  failureReason: status === 'FAILED' ? 'PAYMENT_DECLINED' : null,
  items: [],
  totalCents: 100,
  currency: 'USD',
  paymentMethod: 'tok_visa',
  createdAt: at,
  updatedAt: at,
  workflowId: id,
  steps: [],
});
const note = (orderId: string): Notification => ({
  id: `n-${orderId}-${Math.random()}`,
  orderId,
  type: 'ORDER_CONFIRMED',
  subject: 's',
  body: 'b',
  createdAt: at,
});
const cancel = (orderId: string, outcome: CancelRequest['outcome']): CancelRequest => ({
  orderId,
  outcome,
  ms: 10,
  attempts: [],
});

function world(): DeliveryFacts {
  return {
    orders: [order('o1', 'CONFIRMED'), order('o2', 'CANCELLED'), order('o3', 'FAILED')],
    cancels: [cancel('o2', 200), cancel('o3', 409)],
    delivery: {
      notifications: new Map(['o1', 'o2', 'o3'].map((id) => [id, [note(id)]])),
      deadLetters: 0,
      unsentOutbox: 0,
      lagMs: [5, 7, 9],
    },
    exits: { worker: 2, orders: 1 },
    kills: { worker: 2, orders: 1 },
  };
}
const named = (facts: DeliveryFacts) =>
  Object.entries(checkDelivery(facts))
    .filter(([, found]) => found.length > 0)
    .map(([name]) => name);

describe('delivery invariants', () => {
  it('pass for a consistent world', () => {
    expect(named(world())).toEqual([]);
  });

  it('name each loss', () => {
    const cases: [(w: DeliveryFacts) => void, (typeof DELIVERY_INVARIANTS)[number]][] = [
      [(w) => w.delivery.notifications.delete('o1'), 'final order without exactly one notification'],
      [
        (w) => w.delivery.notifications.set('o2', [note('o2'), note('o2')]),
        'final order without exactly one notification',
      ],
      [(w) => void (w.delivery.deadLetters = 1), 'message in a dead-letter queue'],
      [(w) => void (w.delivery.unsentOutbox = 2), 'outbox event never sent'],
      [(w) => void (w.orders[1] = order('o2', 'FAILED')), 'accepted cancel not CANCELLED'],
      [(w) => void (w.exits.orders = 2), 'process exited by itself'],
    ];
    for (const [corrupt, invariant] of cases) {
      const w = world();
      corrupt(w);
      expect(named(w), invariant).toEqual([invariant]);
    }
  });

  it('ignore PENDING orders (they are the drain invariant)', () => {
    const w = world();
    w.orders.push(order('o4', 'PENDING'));
    expect(named(w)).toEqual([]);
  });
});
