import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../lib/payload-keys.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fakeShop } from '../activities/test-support/fake-shop.js';
import { TEST_SERVICE_TOKEN as TOKEN } from '../test/support/constants.js';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { startHttpServer, type RunningServer } from '../lib/http-server.js';
import { freePort, httpOk, spawnManaged, waitFor, type ManagedProcess } from '../scripts/processes.js';

const runId = inject('runId');
const taskQueue = `worker-main-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const shop = fakeShop();
let services: RunningServer;
let worker: ManagedProcess;
let port: number;
let connection: Connection;
let output = '';

beforeAll(async () => {
  services = await startHttpServer(shop.app, 0);
  port = await freePort();
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    USERS_URL: services.url,
    PRODUCTS_URL: services.url,
    ORDERS_URL: services.url,
    SERVICE_TOKEN: TOKEN,
    WORKER_PORT: String(port),
    LOG_LEVEL: 'info',
  };
  const sink = new Writable({ write: (chunk, _enc, done) => ((output += String(chunk)), done()) });
  worker = spawnManaged('worker', join(process.cwd(), 'node_modules/.bin/tsx'), ['workers/main.ts'], {
    env,
    output: sink,
  });
  await waitFor('worker /healthz', () => httpOk(`http://127.0.0.1:${port}/healthz`), 60_000, 200);
  connection = await Connection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await services?.close();
});

describe('workers/main.ts', () => {
  it('runs the saga through real HTTP activities to CONFIRMED', async () => {
    const client = new Client({ connection, dataConverter: payloadDataConverter() });
    const orderId = `main-${runId}`;
    const input = {
      orderId,
      customerId: 'u-1',
      items: [{ productId: 'p-1', quantity: 2 }],
      paymentMethod: 'tok_visa',
      currency: 'USD',
      cancelWindowMs: 0,
    };
    const result = (await client.workflow.execute(WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue,
      args: [input],
    })) as OrderSagaState;
    expect(result).toMatchObject({ status: 'CONFIRMED', totalCents: 2 * 700 });
    const routes = shop.routes();
    // Capture and commit run in parallel: either may arrive first.
    expect([...routes.slice(0, 6), ...routes.slice(6, 8).sort(), ...routes.slice(8)]).toEqual([
      'users.get(u-1)',
      'products.lookup()',
      `orders.create(${orderId})`,
      `products.reserve(${orderId})`,
      'orders.authorize()',
      `orders.passPointOfNoReturn(${orderId})`,
      `orders.capture(${orderId})`,
      `products.commit(${orderId})`,
      `orders.transition(${orderId})`,
    ]);
    const scrape = { headers: { authorization: `Bearer ${TOKEN}` } };
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, scrape)).text();
    expect(metrics).toContain('temporal_worker_state{state="RUNNING",service="worker"} 1');
  });

  it('on SIGTERM finishes the in-flight call and records it, then exits 0', async () => {
    shop.settings.captureDelayMs = 1500;
    const client = new Client({ connection, dataConverter: payloadDataConverter() });
    const orderId = `main-drain-${runId}`;
    const input = {
      orderId,
      customerId: 'u-1',
      items: [{ productId: 'p-1', quantity: 1 }],
      paymentMethod: 'tok_visa',
      currency: 'USD',
      cancelWindowMs: 0,
    };
    const handle = await client.workflow.start(WORKFLOW_TYPE, { workflowId: orderId, taskQueue, args: [input] });
    await waitFor('capture in flight', async () => shop.routes().includes(`orders.capture(${orderId})`), 20_000, 20);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(output).toContain('stopped');
    // The in-flight call is a local activity: the worker finishes it and records it in its workflow task.
    const { events } = await handle.fetchHistory();
    const localActivities = (events ?? []).flatMap(
      (e) => e.markerRecordedEventAttributes?.details?.data?.payloads ?? [],
    );
    const types = localActivities.map((p) => JSON.parse(Buffer.from(p.data!).toString()).activity_type as string);
    expect(types).toContain('capturePayment');
    expect(shop.routes().filter((route) => route === `orders.capture(${orderId})`)).toHaveLength(1);
    // The drain may have run the saga to its end; if not, no worker is left to finish it.
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
  });
});
