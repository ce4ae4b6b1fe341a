// A confirmed order's history as the server stores it holds no customer, item or payment method in clear; the
// codec server decodes it for the Temporal CLI (the Web UI speaks the same protocol) and refuses a caller without a credential.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { startHttpServer, type RunningServer } from '../lib/http-server.js';
import { createEncryptionCodec } from '../lib/payload-codec.js';
import { DEV_PAYLOAD_KEYS, payloadKeyring } from '../lib/payload-keys.js';
import { ensureTemporal } from '../scripts/tools.js';
import { SERVICE_TOKEN } from '../api/test-support/fake-services.js';
import { useGatewayFixtures } from '../api/test-support/fixtures.js';
import { buildGateway } from '../api/test-support/gateway.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from '../workflows/test-support/harness.js';
import { mockActivities, orderInput, type Scenario } from '../workflows/test-support/mock-activities.js';

const run = promisify(execFile);
const address = inject('temporalAddress');
const suffix = `${inject('runId')}-${Math.random().toString(36).slice(2, 8)}`;
const taskQueue = `encryption-${suffix}`;
const secrets = { customerId: `cust-secret-${suffix}`, productId: `prod-secret-${suffix}`, paymentMethod: 'tok_visa' };
const fx = useGatewayFixtures();
const scenarios = new Map<string, Scenario>();
let harness: Harness;
let worker: RunningWorker;
let codecServer: RunningServer;
let temporalBin: string;

beforeAll(async () => {
  harness = await connectHarness(address);
  worker = await startWorker(harness, taskQueue, mockActivities((id) => scenarios.get(id) ?? {}).activities);
  temporalBin = await ensureTemporal();
  const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: DEV_PAYLOAD_KEYS }));
  const { app } = buildGateway(fx.services, fx.issuer, {}, { codecServer: { codec, serviceToken: SERVICE_TOKEN } });
  codecServer = await startHttpServer(app, 0);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await harness?.close();
  await codecServer?.close();
});

async function placeOrder(client: Client, orderId: string): Promise<OrderSagaState> {
  const input = orderInput(orderId, {
    customerId: secrets.customerId,
    items: [{ productId: secrets.productId, quantity: 2 }],
    paymentMethod: secrets.paymentMethod,
  });
  await client.workflow.start(WORKFLOW_TYPE, { workflowId: orderId, taskQueue, args: [input] });
  return (await harness.client.workflow.getHandle(orderId).result()) as OrderSagaState;
}

/** Every byte the server holds for the run, as protobuf: what an operator of the server can read. */
async function storedBytes(workflowId: string): Promise<string> {
  const { history } = await harness.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId },
  });
  return Buffer.from(proto.temporal.api.history.v1.History.encode(history!).finish()).toString('latin1');
}

/** The CLI prints payload data as base64: their text, joined. */
const payloadTexts = (json: string) =>
  [...json.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)]
    .map(([, data]) => Buffer.from(data!, 'base64').toString())
    .join('\n');

const show = async (workflowId: string, ...flags: string[]) =>
  (await run(temporalBin, ['workflow', 'show', '-w', workflowId, '--address', address, '-o', 'json', ...flags])).stdout;

describe('payload encryption on a real Temporal server', () => {
  it('stores a confirmed order with no customer, item or payment method in clear', async () => {
    const orderId = `enc-${suffix}`;
    expect((await placeOrder(harness.client, orderId)).status).toBe('CONFIRMED');
    const stored = await storedBytes(orderId);
    expect(stored).toContain('binary/encrypted');
    for (const secret of Object.values(secrets)) expect(stored).not.toContain(secret);
    const raw = await show(orderId);
    for (const secret of Object.values(secrets)) expect(`${raw}${payloadTexts(raw)}`).not.toContain(secret);

    // A customer check that falls back from a local to a regular activity: its summary is in the history too.
    const fellBack = `enc-fell-back-${suffix}`;
    scenarios.set(fellBack, { transient: { getCustomer: 8 } });
    expect((await placeOrder(harness.client, fellBack)).status).toBe('CONFIRMED');
    const storedFellBack = await storedBytes(fellBack);
    // The retries' failure messages and stacks are encoded payloads (lib/failure-converter.ts), so encrypted too.
    expect(storedFellBack).toContain('Encoded failure');
    expect(storedFellBack).not.toContain('getCustomer attempt');
    expect(storedFellBack).not.toContain('Check the customer'); // the activity's summary: encrypted
    for (const secret of Object.values(secrets)) expect(storedFellBack).not.toContain(secret);

    // Negative control: the same check finds them in an order started by a client without the codec.
    const plainId = `plain-${suffix}`;
    await placeOrder(new Client({ connection: harness.client.connection }), plainId);
    expect(await storedBytes(plainId)).toContain(secrets.customerId);
  });

  it('decodes through the codec server for the CLI with the service credential, and refuses it without', async () => {
    const orderId = `enc-${suffix}`;
    const endpoint = `${codecServer.url}/codec`;
    const decoded = await show(orderId, '--codec-endpoint', endpoint, '--codec-auth', `Bearer ${SERVICE_TOKEN}`);
    for (const secret of Object.values(secrets)) expect(payloadTexts(decoded)).toContain(secret);
    const failures = await show(
      `enc-fell-back-${suffix}`,
      '--codec-endpoint',
      endpoint,
      '--codec-auth',
      `Bearer ${SERVICE_TOKEN}`,
    );
    expect(payloadTexts(failures)).toMatch(/getCustomer attempt \d+: service down/);

    await expect(show(orderId, '--codec-endpoint', endpoint)).rejects.toThrow(/401|Unauthorized|codec/i);
    const anonymous = await fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [] }),
    });
    expect([anonymous.status, ((await anonymous.json()) as { code: string }).code]).toEqual([401, 'UNAUTHORIZED']);
  });
});
