import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPrometheus, stackTargets, type RunningPrometheus } from '../../scripts/observability.js';
import { freePort, waitFor } from '../../scripts/processes.js';
import { ensurePrometheus } from '../../scripts/tools.js';
import { createGatewayClient, uniqueEmail, uniqueSku } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { dashboardQueries, metricNames } from '../support/dashboards.js';

// The whole system plus a real Prometheus scraping it every second, as `npm start -- --observability` runs it.
let stack: TestStack;
let prometheus: RunningPrometheus;
let dataDir: string;

async function promApi<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${prometheus.url}/api/v1/${path}?${new URLSearchParams(params).toString()}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
  return body.data;
}
const instant = (query: string) =>
  promApi<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('query', { query });

beforeAll(async () => {
  const sdkMetricsPort = await freePort();
  stack = await startTestStack('observability', { TEMPORAL_METRICS_PORT: String(sdkMetricsPort) });
  const temporalMetrics = inject('temporalMetricsUrl');
  const extra: Record<string, string> = { 'temporal-sdk': `127.0.0.1:${sdkMetricsPort}` };
  if (temporalMetrics) extra.temporal = new URL(temporalMetrics).host;
  dataDir = await mkdtemp(join(inject('logDir'), 'prometheus-'));
  prometheus = await startPrometheus({
    bin: await ensurePrometheus(),
    port: await freePort(),
    dataDir,
    targets: extra,
    serviceTargets: stackTargets(stack.urls),
    serviceToken: stack.serviceToken,
    scrapeInterval: '1s',
  });
}, 1_800_000);

afterAll(async () => {
  await prometheus?.process.stop(5000);
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Prometheus scraping the running system', () => {
  it('sees every process, the worker’s Temporal SDK exporter and the Temporal server up', async () => {
    type Targets = { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    const expected = [...Object.keys(stack.urls), 'temporal-sdk', 'prometheus'];
    if (inject('temporalMetricsUrl')) expected.push('temporal');
    await waitFor(
      'every target up',
      async () => {
        const { activeTargets } = await promApi<Targets>('targets');
        return activeTargets.length === expected.length && activeTargets.every((t) => t.health === 'up');
      },
      30_000,
      500,
    ).catch(() => undefined); // the assertion below says which target is missing or down
    const { activeTargets } = await promApi<Targets>('targets');
    expect(activeTargets.map((t) => `${t.labels.job} ${t.health} ${t.lastError}`).sort()).toEqual(
      expected.sort().map((job) => `${job} up `),
    );
    // Prometheus presents the service credential; anyone else is refused.
    for (const url of Object.values(stack.urls)) expect((await fetch(`${url}/metrics`)).status).toBe(401);
  });

  it('counts outcomes and compensations after a few orders, and the recording rules return data', async () => {
    const api = createGatewayClient(stack.urls.api);
    const adminToken = await api.login(stack.admin.email, stack.admin.password);
    const product = await api.createProduct(adminToken, {
      sku: uniqueSku('OBS'),
      name: 'Observed widget',
      priceCents: 700,
      stock: 3,
    });
    const customer = await api.registerAndLogin(uniqueEmail('obs'));
    const place = async (quantity: number, paymentMethod?: string) => {
      const placed = await api.placeOrder(customer.token, [{ productId: product.id, quantity }], paymentMethod);
      expect(placed.status).toBe(202);
      return (await api.waitForFinal(customer.token, placed.body.id)).status;
    };
    const value = async (query: string) => Number((await instant(query)).result[0]?.value[1] ?? NaN);
    const placed = 'sum(http_requests_total{service="api", route="/api/orders", status="202"})';
    expect(await place(1)).toBe('CONFIRMED');
    // The gateway's 202 series is born with the first order: a rate needs a sample of it before the next ones.
    await waitFor('the first order scraped', async () => (await value(placed)) === 1, 10_000, 250);
    expect(await place(1)).toBe('CONFIRMED');
    expect(await place(1, 'tok_chargeDeclined')).toBe('FAILED'); // reserved, declined, released
    expect(await place(2)).toBe('FAILED'); // one left in stock

    await waitFor(
      'the outcomes in Prometheus',
      async () => (await value('sum(orders_outcomes_total{status="FAILED"})')) === 2,
      30_000,
      500,
    );
    expect(await value('sum(orders_outcomes_total{status="CONFIRMED"})')).toBe(2);
    expect(await value('sum(orders_outcomes_total{reason="PAYMENT_DECLINED"})')).toBe(1);
    expect(await value('sum(orders_outcomes_total{reason="OUT_OF_STOCK"})')).toBe(1);
    expect(await value('sum(saga_compensations_total{step="authorizePayment", result="skipped"})')).toBe(1);
    expect(await value('sum(saga_step_failed_total{step="authorizePayment", kind="business"})')).toBe(1);
    expect(await value('sum(saga_compensations_total{step="reserveInventory", result="compensated"})')).toBe(2);
    expect(await value('sum(saga_step_completed_total{step="capturePayment"})')).toBe(2);
    await waitFor('the gateway’s last scrape', async () => (await value(placed)) === 4, 10_000, 500).catch(() => {});
    expect(await value(placed)).toBe(4);

    for (const rule of [
      'shop:orders_outcomes:rate5m{status="CONFIRMED"}',
      'shop:orders_placed:rate5m',
      'shop:saga_duration_seconds:p99_5m{status="CONFIRMED"}',
      'shop:saga_step_duration_seconds:p99_5m{step="reserveInventory"}',
      'shop:saga_compensations:rate5m{step="reserveInventory"}',
      'service:http_requests:rate5m{service="orders"}',
    ]) {
      await waitFor(`recording rule ${rule}`, async () => (await value(rule)) > 0, 20_000, 500);
    }
  });

  it('every dashboard query parses with Prometheus’s parser and names only exported metrics', async () => {
    const exported = new Set(await promApi<string[]>('label/__name__/values'));
    const queries = await dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { dashboard, panel, expr } of queries) {
      const response = await fetch(
        `${prometheus.url}/api/v1/parse_query?${new URLSearchParams({ query: expr }).toString()}`,
      );
      const body = (await response.json()) as { status: string; data: unknown; error?: string };
      if (body.status !== 'success') {
        problems.push(`${dashboard} / ${panel}: ${body.error}`);
        continue;
      }
      for (const name of metricNames(body.data)) {
        if (!exported.has(name)) problems.push(`${dashboard} / ${panel}: ${name} is not exported`);
      }
    }
    expect(problems).toEqual([]);
    // The check itself can fail: a broken query is refused by the same endpoint.
    const broken = await fetch(`${prometheus.url}/api/v1/parse_query?query=${encodeURIComponent('sum(rate(x[5m])')}`);
    expect(broken.status).toBe(400);
  });
});
