import type { Order } from '../contracts/orders.js';

type Outcome = 'CONFIRMED' | 'FAILED' | 'CANCELLED' | 'PENDING';
type Counts = Record<Outcome, number>;

export interface OrdersSummary {
  windowMinutes: number;
  /** Orders placed per minute, oldest minute first, by their status now. */
  perMinute: ({ minute: string } & Counts)[];
  totals: Counts;
  /** Placement to final status, over the window's final orders. */
  latencyMs: { count: number; p50: number; p95: number; p99: number; max: number } | null;
  /** The same latency per minute of placement, aligned with `perMinute`; null percentiles when none is final. */
  latencyPerMinute: MinuteLatency[];
  /** Per saga step: how often it failed and how often it was compensated. */
  steps: { name: string; failed: number; compensated: number }[];
  failureReasons: Record<string, number>;
}

export interface MinuteLatency {
  minute: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const zero = (): Counts => ({ CONFIRMED: 0, FAILED: 0, CANCELLED: 0, PENDING: 0 });

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Throughput, latency and step failures of the orders placed in the last `windowMinutes` before `now`. */
export function summarizeOrders(orders: Order[], now: Date, windowMinutes: number): OrdersSummary {
  const minuteMs = 60_000;
  const firstMinute = Math.floor(now.getTime() / minuteMs) - windowMinutes + 1;
  const perMinute = Array.from({ length: windowMinutes }, (_, i) => ({
    minute: new Date((firstMinute + i) * minuteMs).toISOString(),
    ...zero(),
  }));
  const totals = zero();
  const latencies: number[] = [];
  const minuteLatencies = perMinute.map((): number[] => []);
  const steps = new Map<string, { name: string; failed: number; compensated: number }>();
  const failureReasons: Record<string, number> = {};
  for (const order of orders) {
    const created = Date.parse(order.createdAt);
    const slot = perMinute[Math.floor(created / minuteMs) - firstMinute];
    if (!slot) continue;
    slot[order.status] += 1;
    totals[order.status] += 1;
    if (order.status !== 'PENDING') {
      const took = Math.max(0, Date.parse(order.updatedAt) - created);
      latencies.push(took);
      minuteLatencies[Math.floor(created / minuteMs) - firstMinute]?.push(took);
    }
    if (order.failureReason) failureReasons[order.failureReason] = (failureReasons[order.failureReason] ?? 0) + 1;
    for (const step of order.steps) {
      if (step.status !== 'failed' && step.status !== 'compensated') continue;
      const entry = steps.get(step.name) ?? { name: step.name, failed: 0, compensated: 0 };
      entry[step.status] += 1;
      steps.set(step.name, entry);
    }
  }
  latencies.sort((a, b) => a - b);
  const latencyMs =
    latencies.length === 0
      ? null
      : {
          count: latencies.length,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies.at(-1)!,
        };
  const latencyPerMinute = perMinute.map(({ minute }, i) => minuteLatency(minute, minuteLatencies[i] ?? []));
  return { windowMinutes, perMinute, totals, latencyMs, latencyPerMinute, steps: [...steps.values()], failureReasons };
}

function minuteLatency(minute: string, values: number[]): MinuteLatency {
  if (values.length === 0) return { minute, count: 0, p50: null, p95: null, p99: null };
  values.sort((a, b) => a - b);
  const at = (p: number) => percentile(values, p);
  return { minute, count: values.length, p50: at(50), p95: at(95), p99: at(99) };
}
