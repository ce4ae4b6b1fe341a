import type { ChaosReport } from './chaos.js';
import type { Attempt } from './customers.js';
import { DELIVERY_INVARIANTS } from './delivery.js';
import { INVARIANTS } from './invariants.js';

const s = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const count = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});
const list = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Cancel figures: how long a customer waited for a decisive 200/409, and what the attempts answered. */
function cancelFigures(report: ChaosReport) {
  const decisive = report.cancels.filter((c) => c.outcome === 200 || c.outcome === 409);
  const attempts: Attempt[] = report.cancels.flatMap((c) => c.attempts);
  const ms = decisive.map((c) => c.ms);
  return {
    total: report.cancels.length,
    outcomes: count(report.cancels, (c) => String(c.outcome)),
    within5s: decisive.filter((c) => c.ms <= 5000).length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: percentile(ms, 100),
    attempts: count(attempts, (a) => String(a.status)),
    serverErrors: count(
      attempts.filter((a) => typeof a.status === 'number' && a.status >= 500),
      (a) => `${a.status} ${a.code ?? '?'}`,
    ),
    slowAttempts: attempts.filter((a) => a.ms > 5000).length,
  };
}

export function violationCount(report: ChaosReport): number {
  return Object.values(report.violations).reduce((sum, v) => sum + v.length, 0);
}

export function formatReport(report: ChaosReport): string {
  const accepted = report.placed.filter((p) => p.orderIds.size > 0).length;
  const retried = report.placed.filter((p) => p.attempts.length > 1).length;
  const cancels = cancelFigures(report);
  const restarts = Object.entries(report.readyAfterMs).map(
    ([name, ms]) => `${name} p50 ${s(percentile(ms, 50))} max ${s(percentile(ms, 100))}`,
  );
  const lines = [
    `orders: ${report.placed.length} keys, ${accepted} accepted, ${retried} needed retries, ${report.placed.length - accepted} gave up`,
    `outcomes: ${list(report.outcomes)}`,
    `faults (SIGKILLs by the harness; restarts of PostgreSQL and RabbitMQ): ${list(report.kills)}; total ${Object.values(report.kills).reduce((a, b) => a + b, 0)} in ${s(report.faultMs)}`,
    `exits seen by the supervisor (kills + crashes they caused): ${list(report.exits)}`,
    `exit → ready again: ${restarts.join('; ')}`,
    `backlog when every component was back: ${report.backlogAtRecovery} orders not final`,
    `time to drain (last restart ready → every accepted order final): ${report.drainMs === undefined ? 'NOT DRAINED' : s(report.drainMs)}`,
    `cancels: ${cancels.total} (${list(cancels.outcomes)}); decisive 200/409 within 5 s: ${cancels.within5s}; ` +
      `time to a decisive answer p50 ${s(cancels.p50)}, p95 ${s(cancels.p95)}, max ${s(cancels.max)}`,
    `cancel attempts: ${list(cancels.attempts)}; attempts slower than 5 s: ${cancels.slowAttempts}`,
    `cancel 5xx by problem (code: detail): ${list(cancels.serverErrors) || 'none'}`,
    `launcher survived: ${report.launcherSurvived ? 'yes' : 'NO'}`,
    `replay of the run's histories (npm run replay): ${report.replay.replayed} replayed, ${report.replay.failed} failed, exit ${report.replay.exitCode}`,
    ...(report.replay.exitCode === 0 ? [] : [report.replay.output.trim()]),
    `notification lag (order final → notification): p50 ${s(percentile(report.notificationLagMs, 50))}, ` +
      `p95 ${s(percentile(report.notificationLagMs, 95))}, max ${s(percentile(report.notificationLagMs, 100))}`,
    'violations per invariant:',
    ...[...INVARIANTS, ...DELIVERY_INVARIANTS].map((name) => {
      const found = report.violations[name] ?? [];
      return `  ${name}: ${found.length}${found.length ? ` — e.g. ${found.slice(0, 3).join('; ')}` : ''}`;
    }),
  ];
  return lines.join('\n');
}
