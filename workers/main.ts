import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/activities.js';
import { createSagaClients } from '../activities/clients.js';
import { createReconcileActivities } from '../activities/reconcile.js';
import { createServiceDispatcher } from '../lib/http-exchange.js';
import { startHttpServer } from '../lib/http-server.js';
import { createMetrics } from '../lib/metrics.js';
import { payloadDataConverter } from '../lib/payload-keys.js';
import { retryUntilUp } from '../lib/retry.js';
import { runMain } from '../lib/run-main.js';
import { describeTemporalSecurity, temporalConnectionOptions } from '../lib/temporal-connection.js';
import { WorkerConfig } from './config.js';
import { createHealthApp } from './health.js';
import { createSagaMetrics } from './saga-metrics.js';
import { installSdkMetrics } from './sdk-metrics.js';
import { ensureReconcileSchedule, sagaRunStateFrom } from './reconcile-schedule.js';
import { bundleFileBuildId, makeCurrentVersion } from './deployment.js';
import { createWorker } from './worker.js';
import { connectAmqp } from '../lib/amqp.js';
import { orderProgressExchange } from '../contracts/order-progress.js';
import { createProgressPublisher } from './progress.js';

await runMain({
  name: 'worker',
  config: WorkerConfig,
  env: process.env,
  // shutdown() stops polling and lets in-flight activities and workflow tasks finish (grace 10 s).
  shutdownDeadlineMs: 20_000,
  async start({ config, logger, telemetry, onStop, stopping, fail }) {
    if (config.TEMPORAL_METRICS_PORT) installSdkMetrics(`${config.WORKER_HOST}:${config.TEMPORAL_METRICS_PORT}`);
    const metrics = createMetrics('worker');
    // Payloads are encrypted and decrypted in the main thread, outside the workflow sandbox.
    const dataConverter = payloadDataConverter(config);
    const live: { connection?: NativeConnection; worker?: Worker } = {};
    const pingTemporal = async () => {
      if (!live.connection) throw new Error('not connected to Temporal yet');
      await live.connection.healthService.check({});
    };
    const health = createHealthApp({
      worker: () => live.worker,
      logger,
      metrics,
      pingTemporal,
      serviceToken: config.SERVICE_TOKEN,
    });
    const server = await startHttpServer(health, config.WORKER_PORT, config.WORKER_HOST);
    onStop(() => server.close());

    // Temporal may come up after us (or restart): wait for it, reporting not-ready meanwhile.
    const temporalOptions = temporalConnectionOptions(config);
    const grpcCompression = { codec: config.TEMPORAL_GRPC_COMPRESSION };
    const connected = await retryUntilUp(() => NativeConnection.connect({ ...temporalOptions, grpcCompression }), {
      what: `Temporal at ${config.TEMPORAL_ADDRESS}`,
      logger,
      signal: stopping,
    });
    live.connection = connected;
    onStop(() => connected.close());
    const dispatcher = createServiceDispatcher();
    onStop(() => dispatcher.close());
    const clients = createSagaClients({
      dispatcher,
      usersUrl: config.USERS_URL,
      productsUrl: config.PRODUCTS_URL,
      ordersUrl: config.ORDERS_URL,
      token: config.SERVICE_TOKEN,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    });
    const client = new Client({ connection: connected, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
    const sagaActivities = createActivities(clients);
    const reconcileActivities = createReconcileActivities({
      orders: clients.orders,
      sagaRunState: sagaRunStateFrom(client),
      finalize: (input) => sagaActivities.finalizeOrder(input),
    });
    const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'worker', logger });
    onStop(() => amqp.close());
    const progress = createProgressPublisher(amqp, {
      exchange: orderProgressExchange(config.ORDER_EVENTS_EXCHANGE),
      logger,
    });
    onStop(() => progress.close());
    const deploymentVersion = config.TEMPORAL_WORKER_VERSIONING
      ? {
          deploymentName: config.TEMPORAL_DEPLOYMENT_NAME,
          buildId: config.TEMPORAL_BUILD_ID ?? (await bundleFileBuildId(config.WORKFLOW_BUNDLE_PATH!)),
        }
      : undefined;
    const created = await createWorker({
      progressSinks: progress.sinks,
      connection: connected,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter,
      activities: { ...sagaActivities, ...reconcileActivities },
      workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
      limits: {
        maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      },
      tracing: telemetry.pipeline,
      activityInterceptors: [createSagaMetrics(metrics.registry)],
      deploymentVersion,
    });
    live.worker = created;
    const running = created.run();
    onStop(() => running);
    onStop(() => created.getState() === 'RUNNING' && created.shutdown());
    running.catch((error: unknown) => fail(error, 'worker failed'));
    if (deploymentVersion && config.TEMPORAL_SET_CURRENT_VERSION) {
      const { namespace } = client.options;
      const promote = () =>
        makeCurrentVersion(client.workflowService, namespace, deploymentVersion, created.options.identity);
      const what = `build ${deploymentVersion.buildId} current in deployment ${deploymentVersion.deploymentName}`;
      await retryUntilUp(promote, { what, logger, signal: stopping, maxDelayMs: 1000 });
    }
    const schedule = {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      everySeconds: config.RECONCILE_INTERVAL_SECONDS,
      reconcile: { olderThanSeconds: config.RECONCILE_MIN_AGE_SECONDS, limit: 100 },
    };
    await retryUntilUp(() => ensureReconcileSchedule(client, schedule), {
      what: 'the reconciler schedule',
      logger,
      signal: stopping,
    });
    logger.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        address: config.TEMPORAL_ADDRESS,
        temporalSecurity: describeTemporalSecurity(temporalOptions),
        ...(deploymentVersion ? { deploymentVersion } : {}),
        port: server.port,
      },
      'worker running',
    );
  },
});
