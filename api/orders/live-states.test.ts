import { describe, expect, it } from 'vitest';
import type { OrderProgress } from '../../contracts/order-progress.js';
import type { OrderStatus } from '../../contracts/orders.js';
import { createLiveStates } from './live-states.js';

const progress = (orderId: string, seq: number, status: OrderStatus = 'PENDING'): OrderProgress => ({
  type: 'order.progress',
  seq,
  state: {
    orderId,
    customerId: 'c1',
    status,
    failureReason: null,
    items: [],
    totalCents: null,
    currency: 'USD',
    cancellable: status === 'PENDING',
    steps: [{ name: `step-${seq}`, status: 'completed', at: '2026-01-01T00:00:00.000Z' }],
  },
});

describe('live saga states pushed to a gateway', () => {
  it('keeps the latest by seq and refuses an older one', () => {
    const states = createLiveStates();
    expect(states.offer(progress('o1', 5))).toBe(true);
    expect(states.offer(progress('o1', 3))).toBe(false);
    expect(states.get('o1')?.steps[0]?.name).toBe('step-5');
    expect(states.offer(progress('o1', 5))).toBe(true); // two flushes of one workflow task
  });

  it('forgets a final order and never takes it back from a late message', () => {
    const states = createLiveStates();
    states.offer(progress('o1', 5));
    expect(states.offer(progress('o1', 9, 'CONFIRMED'))).toBe(true);
    expect(states.get('o1')).toBeUndefined();
    expect(states.offer(progress('o1', 7))).toBe(false);
    expect(states.get('o1')).toBeUndefined();

    states.offer(progress('o2', 4));
    states.finish('o2'); // its final domain event came first
    expect(states.offer(progress('o2', 6))).toBe(false);
    expect(states.get('o2')).toBeUndefined();
  });

  it('holds at most `max` orders, forgetting the oldest', () => {
    const states = createLiveStates(2);
    for (const id of ['a', 'b', 'c']) states.offer(progress(id, 1));
    expect([states.get('a'), states.get('b'), states.get('c')].map(Boolean)).toEqual([false, true, true]);
  });
});
