import { describe, expect, it } from 'vitest';
import { parseRequestSeconds, serviceTimes } from './service-times.js';

const exposition = (authorizeSeconds: number, authorizeCalls: number) =>
  [
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/payments/authorize",status="200",service="orders"} 1`,
    `http_request_duration_seconds_sum{method="POST",route="/v1/payments/authorize",status="200",service="orders"} ${authorizeSeconds}`,
    `http_request_duration_seconds_count{method="POST",route="/v1/payments/authorize",status="200",service="orders"} ${authorizeCalls}`,
    'http_request_duration_seconds_sum{method="POST",route="/v1/payments/authorize",status="503",service="orders"} 0.5',
    'http_request_duration_seconds_count{method="POST",route="/v1/payments/authorize",status="503",service="orders"} 1',
    'http_request_duration_seconds_sum{method="GET",route="/v1/orders/:id",status="200",service="orders"} 0.1',
    'http_request_duration_seconds_count{method="GET",route="/v1/orders/:id",status="200",service="orders"} 50',
    'http_request_duration_seconds_sum{method="GET",route="/metrics",status="200",service="orders"} 0.2',
    'http_request_duration_seconds_count{method="GET",route="/metrics",status="200",service="orders"} 2',
  ].join('\n');

describe('service times', () => {
  it('sums the statuses of a route and leaves the probes out', () => {
    expect([...parseRequestSeconds('orders', exposition(1, 9))]).toEqual([
      ['orders POST /v1/payments/authorize', { seconds: 1.5, calls: 10 }],
      ['orders GET /v1/orders/:id', { seconds: 0.1, calls: 50 }],
    ]);
  });

  it('prints what happened in between, slowest first, with calls per order when not one', () => {
    const before = parseRequestSeconds('orders', exposition(1, 9));
    const after = parseRequestSeconds('orders', exposition(1.4, 29));
    expect(serviceTimes(before, after, 20)).toBe('orders POST /v1/payments/authorize 20.0 ms');
    const calls = parseRequestSeconds('orders', exposition(1, 9).replace('} 50', '} 90').replace('} 0.1', '} 0.2'));
    expect(serviceTimes(before, calls, 20)).toBe('orders GET /v1/orders/:id 2.5 ms ×2.00');
  });
});
