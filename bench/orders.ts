// Whole-system benchmark of the configuration `npm start` runs: Temporal on a file (WAL, synchronous=normal),
// compiled JavaScript, the cached workflow bundle; cancel window 0, rate limits off. In the same run, the
// engine's ceiling: a no-op workflow with the saga's number and kind of activities on the same server; then
// a warm-up and the same load with every customer following its order (SSE, then GET every 500 ms) instead of
// waiting on the workflow's result, each between two unfollowed loads. Prints figures, asserts nothing.
// Bounded; cleans up after itself.
//   npx tsx bench/orders.ts [orders=300] [customers=16]    (BENCH_CPU_PROF_DIR=dir: a CPU profile per process;
//   BENCH_NODE_FLAGS='--flag …': more Node flags for every process)
// BENCH_ENGINE=server runs it on the production Temporal server on PostgreSQL instead of the dev server;
// `npm run bench` runs both (bench/engines.ts). The last line is the run's figures as JSON, for that comparison.
import { createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../lib/payload-keys.js';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { OrderSagaState } from '../contracts/order-saga.js';
import { ensureDatabase } from '../lib/pg.js';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { declareEventTopology, deleteEventTopology } from '../scripts/broker.js';
import { databaseUrl, dropDatabases } from '../scripts/databases.js';
import { indexFerretDbLookups } from '../scripts/ferretdb-indexes.js';
import { startFerretDb, startTemporal } from '../scripts/infra.js';
import { freePort } from '../scripts/processes.js';
import { startAppStack, type AppProcessName } from '../scripts/stack.js';
import { engineDatabases, startTemporalServer } from '../scripts/temporal-server.js';
import { ensureTemporalServer } from '../scripts/temporal-server-tools.js';
import { ensureFerretDb, ensureTemporal } from '../scripts/tools.js';
import { createGatewayClient } from '../test/support/api.js';
import { noopActivities } from './ceiling/activities.js';
import { followByPolling, followBySse, type Follow } from './followers.js';
import { timelineLine } from './order-timeline.js';
import { scrapeRequestSeconds, serviceTimes } from './service-times.js';
import { readThreadCpu, threadLine, workerThreadShares } from './worker-threads.js';
import { SUMMARY_PREFIX, type BenchSummary } from './engines-table.js';
import {
  autovacuumLine,
  closedLoop,
  cpuSeconds,
  cpuSecondsByPid,
  openLoop,
  percentile,
  percentiles,
  rssMb,
} from './support.js';

const total = Number(process.argv[2] ?? 300);
const customers = Number(process.argv[3] ?? 16);
const warmUp = Math.min(100, total); // unmeasured orders before the measured loads
const pg = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const prefix = `bench_${Date.now().toString(36)}`;
const dbs = {
  users: databaseUrl(pg, `${prefix}_users`),
  orders: databaseUrl(pg, `${prefix}_orders`),
  notifications: databaseUrl(pg, `${prefix}_notifications`),
  ferret: databaseUrl(pg, `${prefix}_ferretdb`),
};
const serviceToken = `bench-token-${prefix}`;
const logPath = join(tmpdir(), `${prefix}.log`);
const log = createWriteStream(logPath);
const say = (line: string) => console.log(line);
Runtime.install({ logger: new DefaultLogger('WARN') }); // the in-process ceiling worker: no INFO chatter

const [temporalPort, uiPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
const address = `127.0.0.1:${temporalPort}`;
const engine = process.env.BENCH_ENGINE === 'server' ? 'server' : 'dev';
const temporal =
  engine === 'server'
    ? await startTemporalServer({
        tools: await ensureTemporalServer(),
        postgresUrl: pg,
        databasePrefix: prefix,
        port: temporalPort,
        stateDir: join(tmpdir(), `${prefix}-temporal-server`),
        output: log,
      })
    : await startTemporal({
        bin: await ensureTemporal(),
        port: temporalPort,
        uiPort,
        dbFile: join(tmpdir(), `${prefix}-temporal.db`),
        output: log,
      });
const ferret = await startFerretDb({
  bin: await ensureFerretDb(),
  port: mongoPort,
  postgresUrl: dbs.ferret,
  stateDir: join(tmpdir(), `${prefix}-ferret`),
  output: log,
});
await Promise.all([dbs.users, dbs.orders, dbs.notifications].map(ensureDatabase));
const topology = {
  amqpUrl: process.env.AMQP_URL ?? DEFAULT_AMQP_URL,
  exchange: `${prefix}.events`,
  notificationsQueue: `${prefix}.notifications`,
};
await declareEventTopology(topology);
const names: AppProcessName[] = ['api', 'users', 'products', 'orders', 'notifications', 'worker'];
const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<
  AppProcessName,
  number
>;
const admin = { email: 'bench-admin@example.com', password: 'bench-admin-password' };
const stack = await startAppStack({
  ports,
  output: log,
  compiled: true,
  // BENCH_CPU_PROF_DIR=/tmp/prof writes a V8 CPU profile per process on exit (chrome://inspect or speedscope).
  nodeFlags: [
    ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
  ],
  env: {
    SERVICE_TOKEN: serviceToken,
    DATA_DIR: join(tmpdir(), prefix),
    TEMPORAL_ADDRESS: address,
    MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/`,
    USERS_DATABASE_URL: dbs.users,
    ORDERS_DATABASE_URL: dbs.orders,
    NOTIFICATIONS_DATABASE_URL: dbs.notifications,
    AMQP_URL: topology.amqpUrl,
    ORDER_EVENTS_EXCHANGE: topology.exchange,
    NOTIFICATIONS_QUEUE: topology.notificationsQueue,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    RATE_LIMIT_IP_PER_MIN: '0',
    RATE_LIMIT_ORDERS_PER_MIN: '0',
    RATE_LIMIT_LOGIN_FAILURES: '0',
    ORDER_CANCEL_WINDOW_MS: '0',
    LOG_LEVEL: 'warn',
  },
});
await indexFerretDbLookups(dbs.ferret); // as npm start does, once products has made its collections
const connection = await Connection.connect({ address });
const client = new Client({ connection, dataConverter: payloadDataConverter() });
/** CPU seconds so far of every process an order passes through (PostgreSQL: our databases' backends and its own processes). */
const cpuSnapshot = async (): Promise<Record<string, number>> => {
  const own: Record<string, number> = {
    temporal: await cpuSeconds(temporal.child.pid),
    ferretdb: await cpuSeconds(ferret.child.pid),
  };
  for (const [name, proc] of stack.processes) own[name] = await cpuSeconds(proc.child.pid);
  const shared = await cpuSecondsByPid(['postgres', 'beam.smp'], prefix);
  const renamed = Object.entries(shared).map(([key, s]) => [
    key.replace(/^postgres:/, 'postgresql:').replace(/^beam\.smp:/, 'rabbitmq:'),
    s,
  ]);
  return { ...own, ...Object.fromEntries(renamed) };
};
/** CPU-ms per order of each process; `name:pid` entries (PostgreSQL, RabbitMQ) summed by name, over the pids alive at the end. */
const cpuPerOrder = (before: Record<string, number>, after: Record<string, number>, orders: number) => {
  const byName = new Map<string, number>();
  for (const [key, seconds] of Object.entries(after)) {
    const name = key.split(':')[0]!;
    byName.set(name, (byName.get(name) ?? 0) + ((seconds - (before[key] ?? 0)) * 1000) / orders);
  }
  return Object.fromEntries([...byName].sort((a, b) => b[1] - a[1]));
};
const cpuLine = (perOrder: Record<string, number>) => {
  const total = Object.values(perOrder).reduce((sum, ms) => sum + ms, 0);
  return `${total.toFixed(0)} ms per order (${Object.entries(perOrder)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ')})`;
};
const loadLine = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const rssLine = async () => {
  const parts = [];
  for (const [name, proc] of stack.processes) parts.push(`${name} ${(await rssMb(proc.child.pid)).toFixed(0)} MB`);
  return parts.join(', ');
};

try {
  const engineName = engine === 'server' ? 'Temporal server on PostgreSQL' : 'dev server on a file (WAL)';
  say(`durable stack (${engineName}, compiled JS) on ${address}; log ${logPath}; ${loadLine()}`);
  say(await autovacuumLine(pg));
  // Right after its start a process still holds start-up garbage (the worker ~15 MB) until V8 collects it.
  await new Promise((r) => setTimeout(r, 3000));
  say(`RSS 3 s after the start: ${await rssLine()}`);
  await new Promise((r) => setTimeout(r, 12_000));
  say(`idle RSS (15 s after the start): ${await rssLine()}`);
  const restarts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await stack.restart('worker');
    restarts.push(performance.now() - t0);
  }
  say(`worker restart → serving (/healthz 200): ${restarts.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);

  const api = createGatewayClient(stack.urls.api);
  const adminToken = await api.login(admin.email, admin.password);
  const product = await api.createProduct(adminToken, {
    sku: `BENCH-${prefix}`.toUpperCase(),
    name: 'Bench',
    priceCents: 100,
    stock: 100_000,
  });
  const buyers = await Promise.all(
    Array.from({ length: customers }, (_, i) => api.registerAndLogin(`buyer${i}-${prefix}@example.com`, 'bench-pw-1')),
  );
  const accept: number[] = [];
  const complete: number[] = [];
  let keys = 0;
  /**
   * One order with an Idempotency-Key, as the storefront sends: POST → 202, then its outcome, from the workflow's
   * result (a long poll) or as a customer follows it (`follow`); CONFIRMED (its id is returned) or it throws.
   */
  const order = async (buyer: (typeof buyers)[number], follow?: Follow): Promise<string> => {
    const t0 = performance.now();
    const items = [{ productId: product.id, quantity: 1 }];
    const placed = await api.placeOrder(buyer.token, items, 'tok_visa', `${prefix}-${(keys += 1)}`);
    if (placed.status !== 202) throw new Error(`POST /api/orders answered ${placed.status}`);
    accept.push(performance.now() - t0);
    const { status } = follow
      ? await follow(buyer.token, placed.body.id)
      : ((await client.workflow.getHandle(placed.body.id).result()) as OrderSagaState);
    if (status !== 'CONFIRMED') throw new Error(`order ${placed.body.id} ended ${status}`);
    complete.push(performance.now() - t0);
    return placed.body.id;
  };

  for (let i = 0; i < 3; i++) await order(buyers[0]!); // warm-up
  accept.length = complete.length = 0;
  const idleOrders: string[] = [];
  const scrape = () => scrapeRequestSeconds(stack.urls, serviceToken);
  const servedBefore = await scrape();
  for (let i = 0; i < 40; i++) idleOrders.push(await order(buyers[0]!));
  const servedAfter = await scrape();
  say(`one order on an idle stack, placement → CONFIRMED (40 in a row): ${percentiles(complete)}`);
  const idleP50 = percentile(complete, 50);
  say(`  its POST → 202: ${percentiles(accept)}`);
  say(await timelineLine(client, idleOrders));
  say(`  its service calls, mean answer time: ${serviceTimes(servedBefore, servedAfter, idleOrders.length)}`);

  const ceilingWorker = await Worker.create({
    connection: await NativeConnection.connect({ address, grpcCompression: { codec: 'none' } }),
    taskQueue: `ceiling-${prefix}`,
    workflowsPath: fileURLToPath(new URL('./ceiling/workflows.ts', import.meta.url)),
    activities: noopActivities,
    dataConverter: payloadDataConverter(),
  });
  const ceilingRun = ceilingWorker.run();
  // The engine's floor for the idle order: the same shape doing nothing, one at a time (after 3 warm-ups).
  const noopRuns: number[] = [];
  for (let i = 0; i < 23; i++) {
    const t0 = performance.now();
    await client.workflow.execute('noopSaga', { workflowId: `idle-${prefix}-${i}`, taskQueue: `ceiling-${prefix}` });
    if (i >= 3) noopRuns.push(performance.now() - t0);
  }
  say(`  the same shape doing nothing, one at a time (20 in a row): ${percentiles(noopRuns)}`);
  const [temporalBefore, benchBefore] = [await cpuSeconds(temporal.child.pid), process.cpuUsage()];
  const ceiling = await closedLoop(total, customers, async (i) => {
    const id = `ceiling-${prefix}-${i}`;
    await client.workflow.execute('noopSaga', { workflowId: id, taskQueue: `ceiling-${prefix}` });
  });
  const temporalMs = ((await cpuSeconds(temporal.child.pid)) - temporalBefore) * 1000;
  const { user, system } = process.cpuUsage(benchBefore);
  ceilingWorker.shutdown();
  await ceilingRun;
  say(
    `engine ceiling (no-op workflow, 9 local activities, 3 parallel pairs among them, ${customers} starters): ${ceiling.toFixed(1)}/s`,
  );
  const benchMs = (user + system) / 1000;
  say(
    `  CPU: ${((temporalMs + benchMs) / total).toFixed(0)} ms per workflow (temporal ${(temporalMs / total).toFixed(0)}, worker and starters ${(benchMs / total).toFixed(0)})`,
  );

  // Unmeasured: the processes' JIT, pools and caches warm up here, not inside the first measured load.
  await closedLoop(warmUp, customers, (i) => order(buyers[i % customers]!));
  say(`warm-up: ${warmUp} orders, unmeasured`);
  accept.length = complete.length = 0;
  const workerPid = stack.processes.get('worker')!.child.pid!;
  const [cpuBefore, threadsBefore] = [await cpuSnapshot(), await readThreadCpu(workerPid)];
  const throughput = await closedLoop(total, customers, (i) => order(buyers[i % customers]!));
  say(`saga: ${total} orders CONFIRMED by ${customers} customers: ${throughput.toFixed(1)} orders/s`);
  say(`  ratio saga / ceiling: ${((100 * throughput) / ceiling).toFixed(0)} %`);
  say(`  accept (POST → 202): ${percentiles(accept)}`);
  say(`  completion (POST → CONFIRMED): ${percentiles(complete)}`);
  const unfollowedCpu = cpuPerOrder(cpuBefore, await cpuSnapshot(), total);
  say(`  CPU: ${cpuLine(unfollowedCpu)}`);
  const byThread = workerThreadShares(threadsBefore, await readThreadCpu(workerPid), total);
  say(`  the worker's, by thread: ${threadLine(byThread)}`);
  const unfollowedCompletionP50 = percentile(complete, 50);
  const workerRssAfterLoad = await rssMb(stack.processes.get('worker')?.child.pid);
  say(`  RSS after load: ${await rssLine()}`);
  say(`  ${loadLine()}`);

  /** One closed-loop load of `total` orders, followed or not: orders/s, printed with its completion and CPU. */
  const load = async (label: string, follow?: Follow): Promise<number> => {
    accept.length = complete.length = 0;
    const before = await cpuSnapshot();
    const rate = await closedLoop(total, customers, (i) => order(buyers[i % customers]!, follow));
    say(`${label}: ${rate.toFixed(1)} orders/s`);
    say(`  completion (POST → CONFIRMED${follow ? ' seen' : ''}): ${percentiles(complete)}`);
    say(`  CPU: ${cpuLine(cpuPerOrder(before, await cpuSnapshot(), total))}`);
    return rate;
  };
  // The machine's speed drifts through a run: each followed load runs between two unfollowed ones and is
  // compared with their mean.
  const followers: [string, string, Follow][] = [
    ['SSE', 'followed by SSE (GET /api/orders/:id/events)', followBySse(stack.urls.api)],
    ['polling', 'followed by polling GET /api/orders/:id every 500 ms', followByPolling(stack.urls.api, 500)],
  ];
  const shares: Record<string, number> = {};
  let unfollowedBefore = throughput;
  for (const [name, label, follow] of followers) {
    const followed = await load(label, follow);
    const unfollowedAfter = await load('unfollowed again');
    shares[name] = (200 * followed) / (unfollowedBefore + unfollowedAfter);
    say(`  ${name} as a share of the unfollowed loads before and after it: ${shares[name].toFixed(0)} %`);
    unfollowedBefore = unfollowedAfter;
  }
  say(`RSS after the followed loads: ${await rssLine()}`);

  accept.length = complete.length = 0;
  const rate = Math.max(1, Math.round(throughput / 2));
  let n = 0;
  await openLoop(rate, 20, () => order(buyers[n++ % customers]!));
  say(`at half the max (${rate} orders/s for 20 s, open loop): accept ${percentiles(accept)}`);
  say(`  completion: ${percentiles(complete)}`);
  const expected = 100_000 - keys; // every order placed took one unit and ended CONFIRMED
  say(`final stock: ${(await api.getProduct(product.id)).stock} (expected ${expected}); ${loadLine()}`);
  const summary: BenchSummary = {
    engine,
    idleP50,
    idleNoopP50: percentile(noopRuns, 50),
    ceiling,
    ceilingCpuMs: (temporalMs + benchMs) / total,
    throughput,
    unfollowedCompletionP50,
    unfollowedCpu,
    followedShares: shares,
    workerRssAfterLoad,
  };
  say(`${SUMMARY_PREFIX}${JSON.stringify(summary)}`);
} finally {
  await connection.close();
  await stack.stop();
  await ferret.stop();
  await temporal.stop();
  await dropDatabases(pg, [...Object.values(dbs), ...Object.values(engineDatabases(prefix))]);
  await deleteEventTopology(topology);
}
