import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/activities.js';
import { createSagaClients } from '../activities/clients.js';
import { loadConfigOrExit } from '../lib/config.js';
import { onShutdown, startHttpServer } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { startTelemetry } from '../lib/telemetry.js';
import { WorkerConfig } from './config.js';
import { createHealthApp } from './health.js';
import { createWorker } from './worker.js';

const telemetry = startTelemetry({
  serviceName: 'worker',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});
const config = loadConfigOrExit(WorkerConfig);
const logger = createLogger('worker', config.LOG_LEVEL);

const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const clients = createSagaClients({
  usersUrl: config.USERS_URL,
  productsUrl: config.PRODUCTS_URL,
  ordersUrl: config.ORDERS_URL,
  token: config.SERVICE_TOKEN,
  timeoutMs: config.HTTP_TIMEOUT_MS,
});
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: createActivities(clients),
  workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
  limits: {
    maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
  },
  tracing: telemetry.pipeline,
});

const pingTemporal = () => connection.healthService.check({});
const server = await startHttpServer(
  createHealthApp({ worker, metrics: createMetrics('worker'), pingTemporal }),
  config.WORKER_PORT,
  config.WORKER_HOST,
);
const running = worker.run();
logger.info(
  { taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS, port: server.port },
  'worker running',
);

// shutdown() stops polling and lets in-flight activities and workflow tasks finish (grace 10 s).
onShutdown(
  logger,
  [() => worker.shutdown(), () => running, () => server.close(), () => connection.close(), () => telemetry.shutdown()],
  20_000,
);

running.catch((error: unknown) => {
  logger.fatal({ err: error }, 'worker failed');
  process.exit(1);
});
