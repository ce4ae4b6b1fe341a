// A login flood of random emails (each one a full argon2id verify, against enumeration) while other customers
// browse and sign in: prints their p99 and error rate before and during each flood, and what the flood got.
// Usage: npx tsx bench/login-flood.ts [floodSeconds=15] [floodClients…=4 200]
// 4 clients keep the users service's two verify slots busy (its capacity); 200 are far past it.
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase } from '../lib/pg.js';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { declareEventTopology, deleteEventTopology } from '../scripts/broker.js';
import { databaseUrl, dropDatabases } from '../scripts/databases.js';
import { startFerretDb, startTemporal } from '../scripts/infra.js';
import { freePort } from '../scripts/processes.js';
import { startAppStack, type AppProcessName } from '../scripts/stack.js';
import { ensureFerretDb, ensureTemporal } from '../scripts/tools.js';
import { createGatewayClient } from '../test/support/api.js';
import { percentiles } from './support.js';

const floodSeconds = Number(process.argv[2] ?? 15);
const floodLevels = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [4, 200];
const pg = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const prefix = `bench_flood_${Date.now().toString(36)}`;
const dbs = {
  users: databaseUrl(pg, `${prefix}_users`),
  orders: databaseUrl(pg, `${prefix}_orders`),
  notifications: databaseUrl(pg, `${prefix}_notifications`),
  ferret: databaseUrl(pg, `${prefix}_ferretdb`),
};
const log = createWriteStream(join(tmpdir(), `${prefix}.log`));
const [temporalPort, uiPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
const temporal = await startTemporal({
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
const stack = await startAppStack({
  ports,
  output: log,
  compiled: true,
  env: {
    SERVICE_TOKEN: `bench-token-${prefix}`,
    DATA_DIR: join(tmpdir(), prefix),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/`,
    USERS_DATABASE_URL: dbs.users,
    ORDERS_DATABASE_URL: dbs.orders,
    NOTIFICATIONS_DATABASE_URL: dbs.notifications,
    AMQP_URL: topology.amqpUrl,
    ORDER_EVENTS_EXCHANGE: topology.exchange,
    NOTIFICATIONS_QUEUE: topology.notificationsQueue,
    SEED_DEMO_CATALOG: 'true',
    // The flood comes from many addresses: the per-IP limit would otherwise stop it before the users service.
    RATE_LIMIT_IP_PER_MIN: '0',
    LOG_LEVEL: 'warn',
  },
});
const api = createGatewayClient(stack.urls.api);

interface Probe {
  ms: number[];
  errors: number;
  retried: number;
}
const probe = (): Probe => ({ ms: [], errors: 0, retried: 0 });
const line = (name: string, p: Probe) =>
  `${name.padEnd(34)} ${String(p.ms.length + p.errors).padStart(5)} requests, errors ${((100 * p.errors) / Math.max(1, p.ms.length + p.errors)).toFixed(1)} % (${p.retried} answered after a Retry-After), ${percentiles(p.ms)}`;

/** Customers browsing (GET /api/products every 50 ms) and signing in (every 250 ms) until `until`. */
async function customers(until: number, browse: Probe, signIn: Probe, account: { email: string; password: string }) {
  const browsing = (async () => {
    while (Date.now() < until) {
      const started = performance.now();
      const { status } = await api.request('GET', '/api/products?limit=12');
      if (status === 200) browse.ms.push(performance.now() - started);
      else browse.errors++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const signingIn = (async () => {
    while (Date.now() < until) {
      const started = performance.now();
      const first = await api.request('POST', '/api/users/login', { body: account });
      let { status } = first;
      if (status === 503) {
        await new Promise((r) => setTimeout(r, Number(first.headers.get('retry-after') ?? 1) * 1000));
        status = (await api.request('POST', '/api/users/login', { body: account })).status;
        if (status === 200) signIn.retried++;
      }
      if (status === 200) signIn.ms.push(performance.now() - started);
      else signIn.errors++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await Promise.all([browsing, signingIn]);
}

/** `clients` flooders posting random emails while the customer browses and signs in; prints all of it. */
async function flood(clients: number, account: { email: string; password: string }) {
  const answers = new Map<number, number>();
  const [browse, signIn] = [probe(), probe()];
  const until = Date.now() + floodSeconds * 1000;
  const flooders = Array.from({ length: clients }, async (_, i) => {
    for (let n = 0; Date.now() < until; n++) {
      const body = { email: `flood-${i}-${n}-${Math.random().toString(36).slice(2)}@example.com`, password: 'guess' };
      const { status } = await api.request('POST', '/api/users/login', { body });
      answers.set(status, (answers.get(status) ?? 0) + 1);
    }
  });
  await Promise.all([...flooders, customers(until, browse, signIn, account)]);
  const sorted = [...answers.entries()].sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  console.log(`flood of ${clients} clients posting random emails for ${floodSeconds} s:`);
  console.log(line('  GET /api/products', browse));
  console.log(line('  valid login', signIn));
  console.log(
    `  flood answered: ${sorted.map(([status, n]) => `${status} × ${n}`).join(', ')} (${(total / floodSeconds).toFixed(0)}/s)`,
  );
}

try {
  const account = { email: `${prefix}@example.com`, password: 'customer-password' };
  await api.registerAndLogin(account.email, account.password);
  const [quietBrowse, quietSignIn] = [probe(), probe()];
  await customers(Date.now() + 10_000, quietBrowse, quietSignIn, account);
  console.log('no flood, 10 s:');
  console.log(line('  GET /api/products', quietBrowse));
  console.log(line('  valid login', quietSignIn));
  for (const clients of floodLevels) await flood(clients, account);
} finally {
  await stack.stop();
  await Promise.all([temporal.stop(), ferret.stop()]);
  await deleteEventTopology(topology).catch(() => {});
  await dropDatabases(pg, Object.values(dbs)).catch(() => {});
}
