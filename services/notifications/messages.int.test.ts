import { describe, expect, it } from 'vitest';
import { OrderEvent } from '../../contracts/events.js';
import { notificationFor } from './messages.js';
import { orderEvent } from './test-support/harness.js';

describe('notificationFor', () => {
  it('writes nothing for a placed order', () => {
    expect(notificationFor(orderEvent('order.placed', 'o-1'))).toBeUndefined();
  });

  it('writes an email per final status, with the lines and the total', () => {
    const confirmed = notificationFor(orderEvent('order.confirmed', 'o-1'))!;
    expect(confirmed.type).toBe('ORDER_CONFIRMED');
    expect(confirmed.subject).toBe('Your order o-1 is confirmed');
    expect(confirmed.body).toContain('2 × Teapot  $12.50');
    expect(confirmed.body).toContain('Total: $25.00');
    const failed = notificationFor(orderEvent('order.failed', 'o-2'))!;
    expect(failed).toMatchObject({ type: 'ORDER_FAILED', subject: 'Your order o-2 could not be completed' });
    expect(failed.body).toContain('your payment was declined');
    expect(notificationFor(orderEvent('order.cancelled', 'o-3'))!.type).toBe('ORDER_CANCELLED');
  });

  it('the test events follow the contract schema', () => {
    for (const type of ['order.placed', 'order.confirmed', 'order.failed', 'order.cancelled'] as const) {
      expect(OrderEvent.safeParse(orderEvent(type, 'o')).success).toBe(true);
    }
  });
});
