import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceDispatcher } from './http-exchange.js';
import { startHttpServer, type RunningServer } from './http-server.js';
import { createServiceTransport } from './service-transport.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let downstream: RunningServer;
let gateway: RunningServer;
const dispatcher = createServiceDispatcher();

beforeAll(async () => {
  telemetry = await startTelemetry({ serviceName: 'telemetry-test', exporter });
  const inventory = new Hono().get('/stock/:id', (c) =>
    c.json({ id: c.req.param('id'), traceparent: c.req.header('traceparent') ?? null }),
  );
  downstream = await startHttpServer(inventory, 0);
  const front = new Hono()
    .get('/healthz', (c) => c.text('ok'))
    .get('/products/:id', async (c) =>
      c.json(await (await fetch(`${downstream.url}/stock/${c.req.param('id')}`)).json()),
    )
    .get('/pooled/:id', async (c) => {
      const stock = createServiceTransport({ service: 'stock', baseUrl: downstream.url, token: 't', dispatcher });
      return c.json(await stock.call('GET', `/stock/${c.req.param('id')}`, z.object({ traceparent: z.string() })));
    });
  gateway = await startHttpServer(front, 0);
});

afterAll(async () => {
  await gateway?.close();
  await dispatcher.close();
  await downstream?.close();
  await telemetry?.shutdown();
});

beforeEach(() => exporter.reset());

const serverSpan = (spans: ReadableSpan[], port: number) =>
  spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['net.host.port'] === port);

describe('startTelemetry', () => {
  it('installs nothing without an endpoint or an exporter', async () => {
    const off = await startTelemetry({ serviceName: 'off' });
    expect(off.tracerProvider).toBeUndefined();
    expect(off.pipeline).toBeUndefined();
  });

  it.each([
    ['fetch', '/products/p-1'],
    ["a service transport's dispatcher", '/pooled/p-1'],
  ])('follows one request from a served app through %s into a second served app, in one trace', async (_, path) => {
    const response = await fetch(`${gateway.url}${path}`);
    const body = (await response.json()) as { traceparent: string | null };
    const find = (spans: ReadableSpan[]) => ({
      spans,
      front: serverSpan(spans, gateway.port),
      back: serverSpan(spans, downstream.port),
      call: spans.find(
        (s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full']).startsWith(downstream.url),
      ),
    });
    // Spans end as their responses finish, a moment after the client has read its answer.
    let found = find(exporter.getFinishedSpans());
    for (let i = 0; i < 40 && !(found.front && found.back && found.call); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      found = find(exporter.getFinishedSpans());
    }
    const { spans, front, back, call } = found;
    expect(front && back && call, spans.map((s) => `${s.kind} ${s.name}`).join(', ')).toBeTruthy();
    const traceId = front!.spanContext().traceId;
    expect([call!.spanContext().traceId, back!.spanContext().traceId]).toEqual([traceId, traceId]);
    // A chain, not siblings: gateway server span → fetch client span → downstream server span.
    expect(call!.parentSpanId).toBe(front!.spanContext().spanId);
    expect(back!.parentSpanId).toBe(call!.spanContext().spanId);
    expect(body.traceparent).toBe(`00-${traceId}-${call!.spanContext().spanId}-01`);
    expect(front!.resource.attributes['service.name']).toBe('telemetry-test');
  });

  it('does not trace health probes', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(serverSpan(exporter.getFinishedSpans(), gateway.port)).toBeUndefined();
  });
});
