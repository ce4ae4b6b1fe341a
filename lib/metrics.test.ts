import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from './metrics.js';

function appWithMetrics() {
  const metrics = createMetrics('test', false);
  const app = new Hono();
  app.use(metrics.middleware);
  app.get('/v1/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/v1/boom', () => {
    throw new Error('boom');
  });
  app.onError((_error, c) => c.json({ code: 'INTERNAL' }, 500));
  return { app, metrics };
}

async function seriesValues(metrics: Metrics, name: string, sample = name): Promise<Record<string, number>> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  const values = metric.values.filter((v) => ((v as { metricName?: string }).metricName ?? name) === sample);
  return Object.fromEntries(values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
}

describe('HTTP RED metrics', () => {
  it('labels requests by route template and status, never by raw path', async () => {
    const { app, metrics } = appWithMetrics();
    await app.request('/v1/items/1');
    await app.request('/v1/items/2');
    await app.request('/v1/boom');
    await app.request('/v1/unknown/123');
    const { body } = await metrics.render();
    const counts = await seriesValues(metrics, 'http_requests_total');
    expect(counts).toEqual({ 'GET /v1/items/:id 200': 2, 'GET /v1/boom 500': 1, 'GET unmatched 404': 1 });
    expect(await seriesValues(metrics, 'http_request_duration_seconds', 'http_request_duration_seconds_count')).toEqual(
      counts,
    );
    expect(body).not.toMatch(/route="\/v1\/(items\/\d|unknown)/);
  });
});
