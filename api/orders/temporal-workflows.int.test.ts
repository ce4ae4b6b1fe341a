import type { OrderSagaState } from '../../contracts/order-saga.js';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SearchAttributeKeys, WORKFLOW_TYPE, type PlaceOrderInput } from '../../contracts/order-saga.js';
import { payloadDataConverter } from '../../lib/payload-keys.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import { createTokenIssuer, type TokenIssuer } from '../test-support/tokens.js';
import { startFakeServices, type FakeServices } from '../test-support/fake-services.js';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import type { OrderMemo } from './workflow-port.js';
import { createTemporalOrderWorkflows } from './temporal-workflows.js';

const taskQueue = `api-test-${inject('runId')}`;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const address = inject('temporalAddress');
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, dataConverter: payloadDataConverter() });
  const workflowsPath = fileURLToPath(new URL('../test-support/saga-double.workflow.ts', import.meta.url));
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') });
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle,
    dataConverter: payloadDataConverter(),
  });
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await nativeConnection.close();
  await connection.close();
});

let seq = 0;
const fresh = () => {
  const orderId = `ord_api_${inject('runId')}_${++seq}`;
  const input: PlaceOrderInput = {
    orderId,
    customerId: 'u_t',
    items: [{ productId: 'p_1', quantity: 2 }],
    paymentMethod: 'tok_visa',
    currency: 'USD',
    cancelWindowMs: 0,
    requestHash: 'h1',
  };
  const memo: OrderMemo = {
    requestHash: 'h1',
    nonce: `n${seq}`,
    customerId: 'u_t',
    paymentMethod: 'tok_visa',
    items: input.items,
    createdAt: new Date().toISOString(),
  };
  return { orderId, input, memo };
};
const adapter = () => createTemporalOrderWorkflows({ client, taskQueue, namespace: 'default', timeoutMs: 5000 });

describe('createTemporalOrderWorkflows against a real Temporal server', () => {
  it('starts once per id and says which call created it, with memo, search attributes and a summary', async () => {
    const workflows = adapter();
    const { orderId, input, memo } = fresh();
    await expect(workflows.start(input, memo, `Order ${orderId} — 2 items`)).resolves.toBe(true);
    await expect(workflows.start(input, { ...memo, nonce: 'second' }, 'ignored')).resolves.toBe(false);
    const described = await workflows.describe(orderId);
    expect(described).toMatchObject({
      workflowId: orderId,
      workflowType: WORKFLOW_TYPE,
      running: true,
      customerId: 'u_t',
      memo: { nonce: memo.nonce, requestHash: 'h1' },
    });
    const raw = await client.workflow.getHandle(orderId).describe();
    expect(await raw.staticSummary()).toBe(`Order ${orderId} — 2 items`);
    expect(raw.typedSearchAttributes.get(SearchAttributeKeys.orderStatus)).toBe('PENDING');
    expect(raw.typedSearchAttributes.get(SearchAttributeKeys.customerId)).toBeUndefined();
    await expect(workflows.query(orderId, 3000)).resolves.toMatchObject({
      orderId,
      status: 'PENDING',
      cancellable: true,
    });
    expect(await workflows.describe('ord_never_started')).toBeUndefined();
  });

  it('signals a cancel to a cancellable saga; a signal to a locked or closed one changes nothing; a closed id still counts as started', async () => {
    const workflows = adapter();
    const a = fresh();
    await workflows.start(a.input, a.memo, 's');
    await workflows.signalCancel(a.orderId);
    expect((await client.workflow.getHandle(a.orderId).result()) as OrderSagaState).toMatchObject({
      status: 'CANCELLED',
    });
    await expect(workflows.signalCancel(a.orderId)).resolves.toBeUndefined();
    await expect(workflows.start(a.input, { ...a.memo, nonce: 'later' }, 's')).resolves.toBe(false);
    expect((await workflows.describe(a.orderId))?.memo.nonce).toBe(a.memo.nonce);

    const b = fresh();
    await workflows.start(b.input, b.memo, 's');
    await client.workflow.getHandle(b.orderId).signal('lock');
    await workflows.signalCancel(b.orderId);
    expect(await workflows.query(b.orderId, 3000)).toMatchObject({ status: 'PENDING', cancellable: false });
    await client.workflow.getHandle(b.orderId).signal('confirm');
  });

  it('turns an unreachable Temporal into a prompt ServiceUnavailableError', async () => {
    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
    const workflows = createTemporalOrderWorkflows({ client: dead, taskQueue, namespace: 'default', timeoutMs: 1000 });
    const started = Date.now();
    await expect(workflows.start(fresh().input, fresh().memo, 's')).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(workflows.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3500);
  });
});

describe('the gateway placing orders through real Temporal', () => {
  let services: FakeServices;
  let issuer: TokenIssuer;
  beforeAll(async () => {
    [services, issuer] = await Promise.all([startFakeServices(), createTokenIssuer()]);
  });
  afterAll(async () => {
    await Promise.all([services.close(), issuer.close()]);
  });

  it('Idempotency-Key: 202, then 200 for the same body (even concurrently), 422 for another body; cancel → 200 CANCELLED then 409', async () => {
    const { app, advance } = buildGateway(services, issuer, {}, { orderWorkflows: adapter() });
    const headers = {
      authorization: `Bearer ${await issuer.sign(`u_${inject('runId')}`)}`,
      'idempotency-key': 'real-1',
    };
    const body = { items: [{ productId: 'p_1', quantity: 1 }], paymentMethod: 'tok_visa' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, async () => app.request('/api/orders', jsonRequest('POST', body, headers))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 202]);
    const ids = new Set<string>();
    for (const response of responses) ids.add((await readBody(response)).id);
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const reused = await app.request(
      '/api/orders',
      jsonRequest('POST', { ...body, paymentMethod: 'tok_mastercard' }, headers),
    );
    expect(reused.status).toBe(422);

    advance(2_000); // past the wait for a first pushed state: the read queries the workflow
    const shown = await app.request(`/api/orders/${id}`, { headers });
    expect(await readBody(shown)).toMatchObject({ id, status: 'PENDING', steps: [{ name: 'started' }] });
    const cancelled = await app.request(`/api/orders/${id}/cancel`, { method: 'POST', headers });
    expect(cancelled.status).toBe(200);
    expect(await readBody(cancelled)).toMatchObject({ id, status: 'CANCELLED' });
    expect((await app.request(`/api/orders/${id}/cancel`, { method: 'POST', headers })).status).toBe(409);
  });
});
