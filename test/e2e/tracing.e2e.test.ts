import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  fetchTrace,
  findSpans,
  spanAttribute,
  startJaeger,
  type RunningJaeger,
  type StoredSpan,
} from '../../scripts/jaeger.js';
import { freePort, waitFor } from '../../scripts/processes.js';
import { ensureJaeger } from '../../scripts/tools.js';
import { createGatewayClient, uniqueEmail, uniqueSku, type GatewayClient } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// The whole system with OTEL_EXPORTER_OTLP_ENDPOINT set, exporting to a real Jaeger v2; traces are read back from its query API.
const SERVER = 2;
const CLIENT = 3;
let jaeger: RunningJaeger;
let stack: TestStack;
let api: GatewayClient;

beforeAll(async () => {
  const logDir = inject('logDir');
  const [otlp, query, health] = [await freePort(), await freePort(), await freePort()];
  jaeger = await startJaeger({
    bin: await ensureJaeger(),
    ports: { otlp, query, health },
    configDir: await mkdtemp(join(logDir, 'jaeger-')),
    output: createWriteStream(join(logDir, 'jaeger-tracing.log')),
  });
  stack = await startTestStack('tracing', {
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  api = createGatewayClient(stack.urls.api);
}, 1_800_000); // builds Jaeger when `npm test`'s bootstrap has not

afterAll(async () => {
  await stack?.stop();
  await jaeger?.process.stop(5000);
});

describe('tracing across the running system, read back from Jaeger', () => {
  it('follows one order from the gateway through the saga into every service, in one trace', async () => {
    const adminToken = await api.login(stack.admin.email, stack.admin.password);
    const item = await api.createProduct(adminToken, {
      sku: uniqueSku('TRC'),
      name: 'Traced widget',
      priceCents: 500,
      stock: 3,
    });
    const customer = await api.registerAndLogin(uniqueEmail());
    const placed = await api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }]);
    expect(placed.status).toBe(202);
    expect((await api.waitForFinal(customer.token, placed.body.id)).status).toBe('CONFIRMED');

    // This stack's only order: the gateway's one POST /api/orders server span is the root of its trace.
    const isPlaceSpan = (s: StoredSpan) =>
      s.service === 'api' &&
      s.kind === SERVER &&
      s.name === 'POST' &&
      spanAttribute(s, 'http.target') === '/api/orders';
    let trace: StoredSpan[] = [];
    const has = (service: string, name: string) => trace.some((s) => s.service === service && s.name === name);
    await waitFor(
      'the order’s trace in Jaeger, through the saga’s last activity',
      async () => {
        const placeSpan = (await findSpans(jaeger.queryUrl, 'api')).find(isPlaceSpan);
        trace = placeSpan ? await fetchTrace(jaeger.queryUrl, placeSpan.traceId) : [];
        return has('worker', 'RunWorkflow:placeOrder') && has('worker', 'RunActivity:finalizeOrder');
      },
      30_000,
      500,
    );

    const placeSpans = trace.filter(isPlaceSpan);
    expect(placeSpans).toHaveLength(1);
    expect(placeSpans[0]!.parentSpanId).toBeUndefined();
    expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['api', 'worker', 'users', 'products', 'orders']));
    expect(trace.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'StartWorkflow:placeOrder',
        'RunActivity:reserveInventory',
        'RunActivity:capturePayment',
      ]),
    );
    // A service's server span is the child of the worker's fetch span: the context crossed the process boundary.
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const fromWorker = trace.filter((s) => s.kind === SERVER && byId.get(s.parentSpanId ?? '')?.service === 'worker');
    expect(fromWorker.every((s) => byId.get(s.parentSpanId!)!.kind === CLIENT)).toBe(true);
    expect(new Set(fromWorker.map((s) => s.service))).toEqual(new Set(['users', 'products', 'orders']));
  });
});
