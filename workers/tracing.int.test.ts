import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type ReplayResult } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/activities.js';
import { createSagaClients } from '../activities/clients.js';
import { fakeShop } from '../activities/test-support/fake-shop.js';
import { TEST_SERVICE_TOKEN as TOKEN } from '../test/support/constants.js';
import { FAILURE_CONVERTER_PATH } from '../lib/payload-keys.js';
import { tracingClientInterceptors } from '../lib/temporal-tracing.js';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { createServiceDispatcher } from '../lib/http-exchange.js';
import { startHttpServer, type RunningServer } from '../lib/http-server.js';
import { startTelemetry, type Telemetry } from '../lib/telemetry.js';
import { waitFor } from '../scripts/processes.js';
import { quietTemporalLogs } from '../workflows/test-support/harness.js';
import { loadHistories } from '../workflows/test-support/histories.js';
import { tracingWorkerOptions, WORKFLOW_TRACING_MODULE } from './tracing.js';
import { createWorker, defaultWorkflowsPath } from './worker.js';

const runId = inject('runId');
const taskQueue = `tracing-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const exporter = new InMemorySpanExporter();
const shop = fakeShop();
let telemetry: Telemetry;
let services: RunningServer;
let nativeConnection: NativeConnection;
let connection: Connection;
let bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>;
const workers: { worker: Worker; running: Promise<void> }[] = [];
const queues = { source: `${taskQueue}-source`, prebuilt: `${taskQueue}-prebuilt` };
// The activities call the services as in production: over the worker's undici dispatcher.
const dispatcher = createServiceDispatcher();

beforeAll(async () => {
  quietTemporalLogs();
  telemetry = await startTelemetry({ serviceName: 'tracing-test', exporter });
  services = await startHttpServer(shop.app, 0);
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const clients = createSagaClients({
    usersUrl: services.url,
    productsUrl: services.url,
    ordersUrl: services.url,
    token: TOKEN,
    timeoutMs: 5000,
    dispatcher,
  });
  // Built as scripts/bundle-workflows.ts builds it (WORKFLOW_BUNDLE_PATH).
  bundle = await bundleWorkflowCode({
    workflowsPath: defaultWorkflowsPath(),
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('ERROR'),
  });
  const common = {
    connection: nativeConnection,
    activities: createActivities(clients),
    tracing: telemetry.pipeline,
    shutdownGraceMs: 1000,
  };
  for (const worker of [
    await createWorker({ ...common, taskQueue: queues.source }),
    await createWorker({ ...common, taskQueue: queues.prebuilt, workflowBundle: bundle }),
  ]) {
    workers.push({ worker, running: worker.run() });
  }
});

afterAll(async () => {
  for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  await Promise.all(workers.map((w) => w.running));
  await connection?.close();
  await nativeConnection?.close();
  await dispatcher.close();
  await services?.close();
  await telemetry?.shutdown();
});

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

describe.each(['source', 'prebuilt'] as const)('tracing an order through Temporal (workflows from %s)', (kind) => {
  it('puts the client start, the workflow, its activities and their HTTP calls in the caller’s trace', async () => {
    exporter.reset();
    const taskQueue = queues[kind];
    const calledBefore = shop.routes().length;
    const client = new Client({ connection, interceptors: await tracingClientInterceptors(true) });
    const orderId = `traced-${kind}-${runId}`;
    const input = {
      orderId,
      customerId: 'u-1',
      items: [{ productId: 'p-1', quantity: 1 }],
      paymentMethod: 'tok_visa',
      currency: 'USD',
      cancelWindowMs: 0,
    };
    const tracer = trace.getTracer('tracing-test');
    const { traceId, result } = await tracer.startActiveSpan('place order', async (root) => {
      const outcome = (await client.workflow.execute(WORKFLOW_TYPE, {
        workflowId: orderId,
        taskQueue,
        args: [input],
      })) as OrderSagaState;
      root.end();
      return { traceId: root.spanContext().traceId, result: outcome };
    });
    expect(result.status).toBe('CONFIRMED');

    // Workflow spans leave the sandbox through a sink, after the workflow task completes.
    await waitFor(
      'workflow span exported',
      async () => named(exporter.getFinishedSpans(), `RunWorkflow:${WORKFLOW_TYPE}`).length > 0,
      10_000,
      50,
    );
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `StartWorkflow:${WORKFLOW_TYPE}`,
        `RunWorkflow:${WORKFLOW_TYPE}`,
        'StartActivity:getCustomer',
        'RunActivity:getCustomer',
        'RunActivity:capturePayment',
      ]),
    );

    // Every HTTP call the activities made is in the trace: client span under RunActivity, server span under it.
    const runActivityIds = new Set(
      spans.filter((s) => s.name.startsWith('RunActivity:')).map((s) => s.spanContext().spanId),
    );
    const calls = spans.filter((s) => s.kind === SpanKind.CLIENT && runActivityIds.has(s.parentSpanId ?? ''));
    const served = spans.filter(
      (s) => s.kind === SpanKind.SERVER && calls.some((c) => c.spanContext().spanId === s.parentSpanId),
    );
    expect(calls.length).toBe(shop.routes().length - calledBefore);
    expect(served.length).toBe(shop.routes().length - calledBefore);
  });
});

describe('replay with the tracing interceptors in the bundle', () => {
  it('replays every recorded history, which was captured without them', async () => {
    const histories = await loadHistories();
    const results: ReplayResult[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle, ...tracingWorkerOptions(undefined, true) },
      histories,
    ))
      results.push(result);
    expect(results.length).toBeGreaterThan(5);
    for (const result of results)
      expect({ id: result.workflowId, error: result.error }).toEqual({ id: result.workflowId, error: undefined });
  });
});
