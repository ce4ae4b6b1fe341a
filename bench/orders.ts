// Whole-system benchmark: orders placed through the gateway and carried to CONFIRMED by the saga.
// Prints throughput, latency percentiles and each process's memory. Bounded; cleans up after itself.
//   npx tsx bench/orders.ts [orders=200] [concurrency=20] [pollMs=500]
import { readFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase } from '../lib/pg.js';
import { databaseUrl, dropDatabases } from '../scripts/databases.js';
import { startFerretDb, startTemporal } from '../scripts/infra.js';
import { freePort } from '../scripts/processes.js';
import { startAppStack, type AppProcessName } from '../scripts/stack.js';
import { ensureFerretDb, ensureTemporal } from '../scripts/tools.js';
import { createApiClient } from '../test/support/api.js';

const total = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 20);
const pollMs = Number(process.argv[4] ?? 500);
const pg = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const prefix = `bench_${Date.now().toString(36)}`;
const dbs = {
  users: databaseUrl(pg, `${prefix}_users`),
  orders: databaseUrl(pg, `${prefix}_orders`),
  ferret: databaseUrl(pg, `${prefix}_ferretdb`),
};
const log = createWriteStream(join(tmpdir(), `${prefix}.log`));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function rssMb(pid: number | undefined): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return `${(kb / 1024).toFixed(0)} MB`;
}

const [temporalPort, uiPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
const temporal = await startTemporal({
  bin: await ensureTemporal(),
  port: temporalPort,
  uiPort,
  headless: true,
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
await Promise.all([ensureDatabase(dbs.users), ensureDatabase(dbs.orders)]);
const names: AppProcessName[] = ['api', 'users', 'products', 'orders', 'worker'];
const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<
  AppProcessName,
  number
>;
const stack = await startAppStack({
  ports,
  output: log,
  env: {
    SERVICE_TOKEN: `bench-token-${prefix}`,
    DATA_DIR: join(tmpdir(), prefix),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/`,
    USERS_DATABASE_URL: dbs.users,
    ORDERS_DATABASE_URL: dbs.orders,
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: 'bench-admin-password',
    RATE_LIMIT_IP_PER_MIN: '0',
    RATE_LIMIT_ORDERS_PER_MIN: '0',
    RATE_LIMIT_LOGIN_FAILURES: '0',
    ORDER_CANCEL_WINDOW_MS: '0',
    LOG_LEVEL: 'warn',
  },
});

try {
  const api = createApiClient(stack.urls.api);
  const admin = await api.login('bench-admin@example.com', 'bench-admin-password');
  const product = await api.createProduct(admin, {
    sku: `BENCH-${prefix}`.toUpperCase(),
    name: 'Bench',
    priceCents: 100,
    stock: total,
  });
  const buyers = await Promise.all(
    Array.from({ length: concurrency }, (_, i) =>
      api.registerAndLogin(`buyer${i}-${prefix}@example.com`, 'bench-password'),
    ),
  );

  const accept: number[] = [];
  const complete: number[] = [];
  const saga: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    buyers.map(async (buyer) => {
      while (next < total) {
        next += 1;
        const t0 = performance.now();
        const placed = await api.placeOrder(buyer.token, [{ productId: product.id, quantity: 1 }]);
        accept.push(performance.now() - t0);
        const order = await api.waitForFinal(buyer.token, placed.body.id, 120_000, pollMs);
        if (order.status !== 'CONFIRMED') throw new Error(`unexpected ${order.status}`);
        complete.push(performance.now() - t0);
        saga.push(Date.parse(order.updatedAt) - Date.parse(order.createdAt));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  accept.sort((a, b) => a - b);
  complete.sort((a, b) => a - b);
  saga.sort((a, b) => a - b);
  console.log(
    `orders: ${complete.length} confirmed with ${concurrency} concurrent customers in ${seconds.toFixed(1)} s`,
  );
  console.log(`throughput: ${(complete.length / seconds).toFixed(1)} orders/s confirmed`);
  console.log(
    `accepted (POST → 202):  p50 ${fmt(percentile(accept, 50))}  p95 ${fmt(percentile(accept, 95))}  p99 ${fmt(percentile(accept, 99))}`,
  );
  console.log(
    `saga (recorded → CONFIRMED, server clock): p50 ${fmt(percentile(saga, 50))}  p95 ${fmt(percentile(saga, 95))}  p99 ${fmt(percentile(saga, 99))}`,
  );
  console.log(
    `confirmed as a polling client sees it (GET every ${pollMs} ms): p50 ${fmt(percentile(complete, 50))}  p95 ${fmt(percentile(complete, 95))}  p99 ${fmt(percentile(complete, 99))}`,
  );
  console.log(`final stock: ${(await api.getProduct(product.id)).stock} (expected 0)`);
  for (const [name, proc] of stack.processes) console.log(`rss ${name}: ${await rssMb(proc.child.pid)}`);
} finally {
  await stack.stop();
  await ferret.stop();
  await temporal.stop();
  await dropDatabases(pg, Object.values(dbs));
}
