// `npm run chaos [orders] [kills-each] [customers] [orders-per-second]`: the whole stack under `npm start`'s supervisor,
// customers ordering while every component is SIGKILLed in turn and the machine's PostgreSQL and RabbitMQ are
// restarted (each also held down once for 30 s; always restored, even on Ctrl-C); prints the figures and the
// invariants. CHAOS_DEPENDENCIES=false leaves the shared servers alone.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runChaos } from '../test/chaos/chaos.js';
import { formatReport, violationCount } from '../test/chaos/report.js';

const [orders = 300, killsEach = 3, customers = 12, ordersPerSecond = 2.5] = process.argv.slice(2).map(Number);
const logDir = join(process.cwd(), '.data', 'chaos');
await mkdir(logDir, { recursive: true });
const started = Date.now();
const report = await runChaos({
  orders,
  killsEach,
  customers,
  ordersPerSecond,
  everyMs: [2000, 4000],
  maxFaultMs: 15 * 60_000,
  drainLimitMs: 60_000,
  drainWatchMs: 600_000,
  notificationSettleMs: 60_000,
  ...(process.env.CHAOS_DEPENDENCIES === 'false' ? {} : { dependencies: { restartsEach: 3, holdDownMs: 30_000 } }),
  postgresUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  logDir,
  progress: (line) => console.log(`[chaos] ${line}`),
});
console.log(
  `\n${formatReport(report)}\n(run took ${((Date.now() - started) / 1000).toFixed(0)} s; launcher log in ${logDir})`,
);
process.exit(violationCount(report) === 0 && report.launcherSurvived && report.replay.exitCode === 0 ? 0 : 1);
