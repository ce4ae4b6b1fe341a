// CPU per request of one service process (the orders service, compiled, on a throwaway database), with and
// without 1 MB semi-spaces: what the size of V8's young generation costs or saves, measured in the process itself (utime + stime from /proc).
//   npx tsx bench/request-cpu.ts [requests=3000]   (BENCH_NODE_FLAGS='--max-semi-space-size=1' adds flags)
// Each variant: one order recorded, then `requests` GETs of it, then as many idempotent PUTs of the same
// order (a transaction of four statements), 8 at a time over keep-alive. Prints figures, asserts nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { ensureDatabase } from '../lib/pg.js';
import { deleteEventTopology } from '../scripts/broker.js';
import { compiledEntry, ensureCompiled } from '../scripts/build-dist.js';
import { databaseUrl, dropDatabases } from '../scripts/databases.js';
import { freePort, httpOk, waitFor } from '../scripts/processes.js';
import { cpuSeconds } from './support.js';

const requests = Number(process.argv[2] ?? 3000);
const extraFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const pg = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const token = `bench-token-${Date.now().toString(36)}`;
const order = {
  customerId: 'bench-customer',
  items: [{ productId: 'bench-product', quantity: 1, name: 'Bench', unitPriceCents: 100 }],
  currency: 'USD',
  paymentMethod: 'tok_visa',
  steps: [],
  workflowId: 'bench-order',
};

/** `concurrency` loops sharing `total` calls of `one`, after 300 warm-up calls; µs of the process's CPU per call. */
async function cpuPerCall(pid: number, one: () => Promise<void>, total: number, concurrency = 8): Promise<number> {
  for (let i = 0; i < 300; i++) await one();
  const before = await cpuSeconds(pid);
  let started = 0;
  const loop = async () => {
    while (started++ < total) await one();
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return (((await cpuSeconds(pid)) - before) * 1e6) / total;
}

async function measure(flags: string[]): Promise<string> {
  const prefix = `bench_${Date.now().toString(36)}`;
  const db = databaseUrl(pg, `${prefix}_orders`);
  await ensureDatabase(db);
  const port = await freePort();
  const topology = { amqpUrl: DEFAULT_AMQP_URL, exchange: `${prefix}.events`, notificationsQueue: `${prefix}.n` };
  const child = spawn(process.execPath, [...flags, compiledEntry('services/orders/main.ts')], {
    env: {
      ...process.env,
      ORDERS_PORT: String(port),
      ORDERS_DATABASE_URL: db,
      SERVICE_TOKEN: token,
      LOG_LEVEL: 'warn',
      ORDER_EVENTS_EXCHANGE: topology.exchange,
      NOTIFICATIONS_QUEUE: topology.notificationsQueue,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
  try {
    await waitFor('the orders service', () => httpOk(`http://127.0.0.1:${port}/readyz`), 30_000, 100);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const call = (method: 'GET' | 'PUT', expected: number) => async () => {
      const body = method === 'PUT' ? JSON.stringify(order) : undefined;
      const res = await pool.request({ method, path: '/v1/orders/bench-order', headers, body });
      await res.body.text();
      if (res.statusCode !== expected) throw new Error(`${method} answered ${res.statusCode}`);
    };
    await call('PUT', 201)();
    const get = await cpuPerCall(child.pid!, call('GET', 200), requests);
    const put = await cpuPerCall(child.pid!, call('PUT', 200), requests);
    return `flags [${flags.join(' ')}]: GET ${get.toFixed(0)} µs, idempotent PUT ${put.toFixed(0)} µs of CPU per request`;
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    await dropDatabases(pg, [db]);
    await deleteEventTopology(topology);
  }
}

await ensureCompiled();
const semiSpace1 = ['--max-semi-space-size=1', ...extraFlags];
// Alternated twice: how fast this machine is moves between minutes.
for (const flags of [extraFlags, semiSpace1, extraFlags, semiSpace1]) console.log(await measure(flags));
