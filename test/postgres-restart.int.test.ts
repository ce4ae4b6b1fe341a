import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { declareEventTopology, deleteEventTopology } from '../scripts/broker.js';
import { databaseUrl } from '../scripts/databases.js';
import { freePort, waitFor } from '../scripts/processes.js';
import { startAppStack, type AppProcessName, type AppStack } from '../scripts/stack.js';
import { testAmqpNames, testAmqpUrl } from './support/amqp.js';
import { TEST_SERVICE_TOKEN } from './support/constants.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';

// The processes that keep their state in PostgreSQL, started as `npm start` starts them, on a server of our own.
const SERVICES = ['users', 'orders', 'notifications'] as const satisfies AppProcessName[];
const headers = { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'content-type': 'application/json' };
let pg: PrivatePostgres;
let ports: Record<AppProcessName, number>;
let stack: AppStack | undefined;
let logFile: string;
const topology = { amqpUrl: testAmqpUrl, ...topologyNames() };

function topologyNames() {
  const names = testAmqpNames(inject('runId'), 'pg_restart');
  return { exchange: names.exchange, notificationsQueue: names.queue };
}

beforeAll(async () => {
  pg = await startPrivatePostgres();
  ports = Object.fromEntries(
    await Promise.all(
      ['api', 'users', 'products', 'orders', 'notifications', 'worker'].map(async (n) => [n, await freePort()]),
    ),
  ) as Record<AppProcessName, number>;
  logFile = join(inject('logDir'), 'stack-pg-restart.log');
  await declareEventTopology(topology);
});
afterAll(async () => {
  await stack?.stop();
  await pg?.destroy();
  await deleteEventTopology(topology).catch(() => undefined);
});

const startServices = async () =>
  startAppStack({
    ports,
    only: [...SERVICES],
    output: createWriteStream(logFile, { flags: 'a' }),
    env: {
      SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      DATA_DIR: await mkdtemp(join(inject('logDir'), 'data-pg-restart-')),
      USERS_DATABASE_URL: databaseUrl(pg.url, 'shop_users'),
      ORDERS_DATABASE_URL: databaseUrl(pg.url, 'shop_orders'),
      NOTIFICATIONS_DATABASE_URL: databaseUrl(pg.url, 'shop_notifications'),
      AMQP_URL: testAmqpUrl,
      ORDER_EVENTS_EXCHANGE: topology.exchange,
      NOTIFICATIONS_QUEUE: topology.notificationsQueue,
      LOG_LEVEL: 'info',
    },
  });

/** A dead process's last log lines, so the failure says why it exited. */
async function lastLines(name: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 300)); // its last output reaches the file
  const lines = (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.startsWith(`[${name}]`));
  return lines.slice(-25).join('\n');
}

const url = (name: AppProcessName, path: string) => `http://127.0.0.1:${ports[name]}${path}`;
const call = (name: AppProcessName, path: string, init: RequestInit = {}) =>
  fetch(url(name, path), { headers, signal: AbortSignal.timeout(20_000), ...init });

/** A database-backed request of each service: what a caller would see. */
const probes: Record<(typeof SERVICES)[number], () => Promise<Response>> = {
  users: () => call('users', `/v1/users/${randomUUID()}`),
  orders: () => call('orders', `/v1/orders/${randomUUID()}`),
  notifications: () => call('notifications', `/v1/notifications?customerId=${randomUUID()}`),
};

async function expectOutageAnswers(name: (typeof SERVICES)[number]) {
  // /readyz answers from a result at most 1 s old (lib/readiness.ts): the outage shows within a few seconds.
  await waitFor(`${name} /readyz 503`, async () => (await call(name, '/readyz')).status === 503, 5_000, 100);
  const ready = await call(name, '/readyz');
  expect(ready.status, `${name} /readyz`).toBe(503);
  expect(ready.headers.get('content-type')).toBe('application/problem+json');
  expect(((await ready.json()) as { down: string[] }).down).toContain('postgres');
  await waitFor(`${name} answers 503`, async () => (await probes[name]()).status === 503, 20_000, 200);
  const refused = await probes[name]();
  expect(refused.status, `${name} /v1`).toBe(503);
  expect(await refused.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
}

const allReady = () =>
  waitFor(
    'every service ready',
    async () => (await Promise.all(SERVICES.map(async (n) => (await call(n, '/readyz')).ok))).every(Boolean),
    60_000,
    250,
  );

/** Concurrent orders (create + cancel, each a transaction and an outbox event) and reads, until stopped. */
function startLoad() {
  let running = true;
  let ok = 0;
  const order = async () => {
    const id = randomUUID();
    const body = JSON.stringify({
      customerId: 'load',
      items: [{ productId: 'p1', name: 'Load', quantity: 1, unitPriceCents: 100 }],
      paymentMethod: 'tok_visa',
      workflowId: `wf-${id}`,
    });
    if ((await call('orders', `/v1/orders/${id}`, { method: 'PUT', body })).status !== 201) return;
    const cancel = await call('orders', `/v1/orders/${id}/transitions`, { method: 'POST', body: '{"to":"CANCELLED"}' });
    if (cancel.ok) ok += 1;
  };
  const loops = Array.from({ length: 12 }, async (_, i) => {
    while (running) {
      await (i < 8 ? order() : probes[SERVICES[i % 3]!]().then((r) => r.body?.cancel())).catch(() => undefined);
    }
  });
  return { done: () => ok, stop: async () => ((running = false), await Promise.all(loops)) };
}

async function notificationsOf(customerId: string): Promise<number> {
  const page = await call('notifications', `/v1/notifications?customerId=${customerId}`);
  return page.ok ? ((await page.json()) as { items: unknown[] }).items.length : 0;
}

describe('PostgreSQL stopped (-m immediate) under load and started again', () => {
  it('kills no process: each answers 503 while it is down and serves again after, events included', async () => {
    stack = await startServices();
    const pids = SERVICES.map((name) => stack!.processes.get(name)!.child.pid);
    const exits = SERVICES.map((name) =>
      stack!.processes.get(name)!.exited.then(async (code) => `${name} exited (${code}):\n${await lastLines(name)}`),
    );
    const died = Promise.race(exits);
    const load = startLoad();
    for (let round = 1; round <= 3; round++) {
      const before = load.done();
      await waitFor(`load round ${round}`, async () => load.done() >= before + 20, 60_000, 100);
      await pg.stop('immediate');
      await Promise.race([
        Promise.all(SERVICES.map(expectOutageAnswers)),
        died.then((why) => Promise.reject(new Error(why))),
      ]);
      await pg.start();
      await Promise.race([allReady(), died.then((why) => Promise.reject(new Error(why)))]);
    }
    await load.stop();
    expect(SERVICES.map((name) => stack!.processes.get(name)!.child.exitCode)).toEqual([null, null, null]);
    expect(SERVICES.map((name) => stack!.processes.get(name)!.child.pid)).toEqual(pids);

    const customer = `after-${randomUUID()}`;
    const id = randomUUID();
    const body = { customerId: customer, items: [{ productId: 'p1', name: 'X', quantity: 1, unitPriceCents: 1 }] };
    const created = await call('orders', `/v1/orders/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...body, paymentMethod: 'tok_visa', workflowId: `wf-${id}` }),
    });
    expect(created.status).toBe(201);
    expect(
      (await call('orders', `/v1/orders/${id}/transitions`, { method: 'POST', body: '{"to":"CANCELLED"}' })).ok,
    ).toBe(true);
    await waitFor(
      'the notification of an order placed after the outages',
      async () => (await notificationsOf(customer)) === 1,
      30_000,
      200,
    );
  }, 240_000);

  it('starts while PostgreSQL is down: alive and 503 meanwhile, ready by itself once it is up', async () => {
    await stack?.stop();
    stack = undefined;
    await pg.stop('immediate');
    const starting = startServices();
    starting.catch(() => undefined);
    for (const name of SERVICES) {
      await waitFor(`${name} live`, async () => (await fetch(url(name, '/healthz'))).ok, 60_000, 200);
      await expectOutageAnswers(name);
    }
    await pg.start();
    stack = await starting;
    await allReady();
    expect((await probes.orders()).status).toBe(404);
  }, 180_000);
});
