import { describe, expect, it } from 'vitest';
import type { Order } from '../contracts/orders.js';
import { percentile, summarizeOrders } from './operator-summary.js';

const now = new Date('2026-01-01T12:10:30Z');
function order(createdAt: string, status: Order['status'], tookMs: number, extra: Partial<Order> = {}): Order {
  return {
    id: createdAt,
    customerId: 'c',
    status,
    failureReason: status === 'FAILED' ? 'PAYMENT_DECLINED' : null,
    items: [],
    totalCents: 100,
    currency: 'USD',
    paymentMethod: 'tok_visa',
    createdAt,
    updatedAt: new Date(Date.parse(createdAt) + tookMs).toISOString(),
    workflowId: createdAt,
    steps: [],
    ...extra,
  };
}

describe('summarizeOrders', () => {
  it('counts orders per minute by outcome and leaves out orders older than the window', () => {
    const summary = summarizeOrders(
      [
        order('2026-01-01T12:10:05Z', 'CONFIRMED', 1000),
        order('2026-01-01T12:10:01Z', 'FAILED', 3000, {
          steps: [
            { name: 'authorizePayment', status: 'failed', at: '' },
            { name: 'releaseInventory', status: 'compensated', at: '' },
          ],
        }),
        order('2026-01-01T12:09:59Z', 'PENDING', 0),
        order('2026-01-01T12:00:59Z', 'CONFIRMED', 9000),
      ],
      now,
      3,
    );
    expect(summary.perMinute.map((m) => m.minute)).toEqual([
      '2026-01-01T12:08:00.000Z',
      '2026-01-01T12:09:00.000Z',
      '2026-01-01T12:10:00.000Z',
    ]);
    expect(summary.perMinute[2]).toMatchObject({ CONFIRMED: 1, FAILED: 1, PENDING: 0 });
    expect(summary.perMinute[1]).toMatchObject({ PENDING: 1 });
    expect(summary.totals).toEqual({ CONFIRMED: 1, FAILED: 1, CANCELLED: 0, PENDING: 1 });
    expect(summary.latencyMs).toEqual({ count: 2, p50: 1000, p95: 3000, p99: 3000, max: 3000 });
    expect(summary.failureReasons).toEqual({ PAYMENT_DECLINED: 1 });
    expect(summary.steps).toEqual([
      { name: 'authorizePayment', failed: 1, compensated: 0 },
      { name: 'releaseInventory', failed: 0, compensated: 1 },
    ]);
  });

  it('takes latency percentiles per minute of placement, null in a minute with no final order', () => {
    const summary = summarizeOrders(
      [
        order('2026-01-01T12:10:20Z', 'CONFIRMED', 4000),
        order('2026-01-01T12:10:05Z', 'CANCELLED', 2000),
        order('2026-01-01T12:10:01Z', 'FAILED', 500),
        order('2026-01-01T12:09:30Z', 'PENDING', 0),
        order('2026-01-01T12:08:10Z', 'CONFIRMED', 700),
      ],
      now,
      3,
    );
    expect(summary.latencyPerMinute).toEqual([
      { minute: '2026-01-01T12:08:00.000Z', count: 1, p50: 700, p95: 700, p99: 700 },
      { minute: '2026-01-01T12:09:00.000Z', count: 0, p50: null, p95: null, p99: null },
      { minute: '2026-01-01T12:10:00.000Z', count: 3, p50: 2000, p95: 4000, p99: 4000 },
    ]);
  });

  it('has no latency before any order is final', () => {
    expect(summarizeOrders([order('2026-01-01T12:10:05Z', 'PENDING', 0)], now, 5).latencyMs).toBeNull();
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([7], 99)).toBe(7);
  });
});
