// The figures of one bench/orders.ts run, and the side-by-side table `npm run bench` prints for the two engines.

export const SUMMARY_PREFIX = 'bench summary: ';

export interface BenchSummary {
  engine: string;
  /** One order on an idle stack, placement → CONFIRMED, ms. */
  idleP50: number;
  /** The saga's shape doing nothing on the same idle engine, start → result, ms: the floor under idleP50. */
  idleNoopP50: number;
  /** No-op workflows of the saga's shape per second, and their CPU-ms each (Temporal and the bench). */
  ceiling: number;
  ceilingCpuMs: number;
  /** Confirmed orders/s, customers waiting on the workflow result. */
  throughput: number;
  unfollowedCompletionP50: number;
  /** CPU-ms per order by process. */
  unfollowedCpu: Record<string, number>;
  /** Followed throughput as % of the mean of the unfollowed loads just before and after it, by how it is followed. */
  followedShares: Record<string, number>;
  workerRssAfterLoad: number;
}

const fixed = (digits: number) => (value: number) => value.toFixed(digits);

export function enginesTable(runs: BenchSummary[]): string {
  const cpu = (run: BenchSummary, name?: string) =>
    name ? (run.unfollowedCpu[name] ?? 0) : Object.values(run.unfollowedCpu).reduce((a, b) => a + b, 0);
  const rows: [string, (run: BenchSummary) => string][] = [
    ['confirmed orders/s (16 customers waiting)', (r) => fixed(1)(r.throughput)],
    ['CPU-ms per order, all processes', (r) => fixed(0)(cpu(r))],
    ['  of which Temporal', (r) => fixed(0)(cpu(r, 'temporal'))],
    ['  of which PostgreSQL', (r) => fixed(0)(cpu(r, 'postgresql'))],
    ['  of which the worker', (r) => fixed(0)(cpu(r, 'worker'))],
    ['completion p50 under load, ms', (r) => fixed(0)(r.unfollowedCompletionP50)],
    ['one order on an idle stack, p50 ms', (r) => fixed(0)(r.idleP50)],
    ['  the same shape doing nothing, p50 ms', (r) => fixed(0)(r.idleNoopP50)],
    ['followed by SSE, % of unfollowed', (r) => fixed(0)(r.followedShares.SSE ?? NaN)],
    ['followed by polling, % of unfollowed', (r) => fixed(0)(r.followedShares.polling ?? NaN)],
    ['engine ceiling, workflows/s', (r) => fixed(1)(r.ceiling)],
    ['engine ceiling, CPU-ms per workflow', (r) => fixed(0)(r.ceilingCpuMs)],
    ['worker RSS after load, MB', (r) => fixed(0)(r.workerRssAfterLoad)],
  ];
  const header = `| figure | ${runs.map((r) => r.engine).join(' | ')} |`;
  const divider = `|---|${runs.map(() => '---').join('|')}|`;
  return [header, divider, ...rows.map(([label, value]) => `| ${label} | ${runs.map(value).join(' | ')} |`)].join('\n');
}
