import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';
import { waitFor } from '../../scripts/processes.js';
import { createApiClient, uniqueEmail, uniqueSku, type ApiClient } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// The whole system with OTEL_EXPORTER_OTLP_ENDPOINT set, exporting to a minimal OTLP/HTTP (JSON) collector.
interface CollectedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  target?: string;
}
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
type OtlpSpan = Omit<CollectedSpan, 'service' | 'target'> & { attributes: OtlpAttribute[] };
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}
const attribute = (attributes: OtlpAttribute[], key: string) =>
  attributes.find((a) => a.key === key)?.value.stringValue;

const SERVER = 2;
const CLIENT = 3;
const spans: CollectedSpan[] = [];
let collector: RunningServer;
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  const app = new Hono().post('/v1/traces', async (c) => {
    for (const { resource, scopeSpans } of (await c.req.json<OtlpExport>()).resourceSpans) {
      const service = attribute(resource.attributes, 'service.name') ?? '?';
      for (const { spans: batch } of scopeSpans) {
        for (const { attributes, ...span } of batch) {
          spans.push({
            ...span,
            service,
            target: attribute(attributes, 'http.target'),
            parentSpanId: span.parentSpanId || undefined,
          });
        }
      }
    }
    return c.json({});
  });
  collector = await startHttpServer(app, 0);
  stack = await startTestStack('tracing', {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  api = createApiClient(stack.urls.api);
});

afterAll(async () => {
  await stack?.stop();
  await collector?.close();
});

describe('tracing across the running system', () => {
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

    const placeSpan = () =>
      spans.find((s) => s.service === 'api' && s.kind === SERVER && s.target === '/api/orders' && s.name === 'POST');
    const inTrace = () => spans.filter((s) => s.traceId === placeSpan()?.traceId);
    const has = (service: string, name: string) => inTrace().some((s) => s.service === service && s.name === name);
    await waitFor(
      'the saga’s spans at the collector',
      async () => has('worker', 'RunWorkflow:placeOrder') && has('worker', 'RunActivity:finalizeOrder'),
      20_000,
      200,
    );

    const trace = inTrace();
    expect(placeSpan()!.parentSpanId).toBeUndefined();
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
