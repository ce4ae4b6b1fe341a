import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { createGatewayClient, uniqueEmail } from '../test/support/api.js';
import { killLaunched, launch, portsInUse, processesLeft } from '../test/support/launcher.js';
import { ensureCompiled } from './build-dist.js';
import { deleteEventTopology } from './broker.js';
import { fetchTrace, findSpans, spanAttribute, type StoredSpan } from './jaeger.js';
import { OBSERVABILITY_PORTS } from './observability.js';
import { freePort, httpOk, waitFor } from './processes.js';
import { ensureJaeger, ensurePrometheus } from './tools.js';

// `npm start -- --observability`: Jaeger runs beside Prometheus, every process exports its spans to it, Ctrl-C stops it.
beforeAll(async () => {
  await ensureCompiled();
  await Promise.all([ensureJaeger(), ensurePrometheus()]); // built by bootstrap; a build here is not the launch's time
}, 1_800_000);
afterAll(killLaunched);

describe('npm start -- --observability', () => {
  it('runs Jaeger, points every process at it, and one order is one trace there', async () => {
    const dataDir = await mkdtemp(join(inject('logDir'), 'start-obs-'));
    const stackPorts = [
      'API',
      'USERS',
      'PRODUCTS',
      'ORDERS',
      'WORKER',
      'NOTIFICATIONS',
      'TEMPORAL',
      'TEMPORAL_UI',
      'MONGO',
    ];
    const names = [...stackPorts.map((name) => `${name}_PORT`), ...Object.keys(OBSERVABILITY_PORTS)];
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, String(await freePort())] as const)));
    const amqp = testAmqpNames(inject('runId'), 'start-obs');
    onTestFinished(() =>
      deleteEventTopology({ amqpUrl: testAmqpUrl, exchange: amqp.exchange, notificationsQueue: amqp.queue }),
    );
    const env = {
      ...ports,
      OTEL_EXPORTER_OTLP_ENDPOINT: '', // the user gave none: the launcher's Jaeger gets the spans
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ORDER_EVENTS_EXCHANGE: amqp.exchange,
      NOTIFICATIONS_QUEUE: amqp.queue,
      DATA_DIR: dataDir,
      SHOP_DB_PREFIX: `${inject('runId')}_startobs`,
    };
    const queryUrl = `http://127.0.0.1:${ports.JAEGER_QUERY_PORT}`;
    const run = await launch(env, ['--observability']);
    expect(run.lines).toContain(
      `[start] Jaeger       ${queryUrl}/api/v3/traces/TRACE_ID (OTLP in on :${ports.JAEGER_OTLP_PORT})`,
    );
    expect(await httpOk(`http://127.0.0.1:${ports.PROMETHEUS_PORT}/-/ready`)).toBe(true);
    // Each process answers /metrics only to SERVICE_TOKEN: the launcher's Prometheus presents the one it generated.
    type Targets = { data: { activeTargets: { labels: { job: string }; health: string }[] } };
    const appJobs = ['api', 'users', 'products', 'orders', 'notifications', 'worker'];
    const appTargetsUp = async () => {
      const res = await fetch(`http://127.0.0.1:${ports.PROMETHEUS_PORT}/api/v1/targets`);
      const { activeTargets } = ((await res.json()) as Targets).data;
      return activeTargets.filter((t) => appJobs.includes(t.labels.job) && t.health === 'up').length;
    };
    await waitFor('Prometheus scraping every app process', async () => (await appTargetsUp()) === 6, 30_000, 500);

    const api = createGatewayClient(`http://127.0.0.1:${ports.API_PORT}`);
    const customer = await api.registerAndLogin(uniqueEmail('obs-start'));
    const catalog = await api.request<{ items: { id: string }[] }>('GET', '/api/products?limit=1');
    const placed = await api.placeOrder(customer.token, [{ productId: catalog.body.items[0]!.id, quantity: 1 }]);
    expect(placed.status).toBe(202);

    // Up to the cancellation window the saga has called users, products and orders: all five processes are in.
    const isPlaceSpan = (s: StoredSpan) =>
      s.service === 'api' && s.name === 'POST' && spanAttribute(s, 'http.target') === '/api/orders';
    let services = new Set<string>();
    await waitFor(
      'the order’s trace in the launcher’s Jaeger',
      async () => {
        const placeSpan = (await findSpans(queryUrl, 'api')).find(isPlaceSpan);
        const trace = placeSpan ? await fetchTrace(queryUrl, placeSpan.traceId) : [];
        services = new Set(trace.map((s) => s.service));
        return services.size >= 5;
      },
      30_000,
      500,
    ).catch(() => undefined); // the assertion says what is missing
    expect([...services].sort()).toEqual(['api', 'orders', 'products', 'users', 'worker']);

    process.kill(-run.child.pid!, 'SIGINT');
    expect([0, 'SIGINT']).toContain(await run.exited);
    expect(await run.stopped).toBe('[start] stopped');
    expect(await processesLeft(dataDir)).toEqual([]);
    expect(await portsInUse(Object.values(ports).map(Number))).toEqual([]);
  }, 300_000);
});
