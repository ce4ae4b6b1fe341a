import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { freePort } from '../../scripts/processes.js';
import { declareEventTopology, deleteEventTopology, type EventTopology } from '../../scripts/broker.js';
import { startAppStack, type AppProcessName, type AppStack, type AppStackOptions } from '../../scripts/stack.js';
import { testAmqpNames, testAmqpUrl } from './amqp.js';
import { createGatewayClient } from './api.js';
import { createTestDatabase } from './postgres.js';
import { testMongoDbName } from './mongo.js';

export interface TestStack extends AppStack {
  serviceToken: string;
  admin: { email: string; password: string };
  logFile: string;
  topology: EventTopology;
  /** The stack's PostgreSQL databases (a test may write a row as a crashed process left it). */
  databases: { users: string; orders: string; notifications: string };
  /** Another gateway or worker of this stack on a free port (same settings, same Temporal task queue). */
  addReplica(name: 'api' | 'worker'): ReturnType<AppStack['startReplica']>;
}

/**
 * The whole system as `npm start` runs it (same start-up code, real processes), on free ports, with
 * throwaway databases and the run's shared Temporal server and FerretDB. `envFor` adds per-process
 * settings (e.g. a worker that reaches a service through a test's proxy).
 */
export async function startTestStack(
  label: string,
  env: Record<string, string> = {},
  envFor?: AppStackOptions['envFor'],
): Promise<TestStack> {
  const runId = inject('runId');
  const postgresUrl = inject('postgresUrl');
  const [usersDb, ordersDb, notificationsDb] = await Promise.all([
    createTestDatabase(postgresUrl, runId, `${label}_users`),
    createTestDatabase(postgresUrl, runId, `${label}_orders`),
    createTestDatabase(postgresUrl, runId, `${label}_notifications`),
  ]);
  // Names of this stack only: other runs on the same broker must not consume this stack's events.
  const amqpNames = testAmqpNames(runId, label);
  const topology = { amqpUrl: testAmqpUrl, exchange: amqpNames.exchange, notificationsQueue: amqpNames.queue };
  await declareEventTopology(topology);
  const names: AppProcessName[] = ['api', 'users', 'products', 'orders', 'notifications', 'worker'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<
    AppProcessName,
    number
  >;
  const serviceToken = `test-token-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const admin = { email: `admin-${label}@example.com`, password: 'admin-password-123' };
  const logFile = join(inject('logDir'), `stack-${label}.log`);
  const dataDir = await mkdtemp(join(inject('logDir'), `data-${label}-`));
  const stack = await startAppStack({
    ports,
    output: createWriteStream(logFile),
    env: {
      SERVICE_TOKEN: serviceToken,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `orders-${label}-${runId}`,
      MONGO_URL: inject('mongoUrl'),
      PRODUCTS_DB: testMongoDbName(runId, label),
      USERS_DATABASE_URL: usersDb,
      ORDERS_DATABASE_URL: ordersDb,
      NOTIFICATIONS_DATABASE_URL: notificationsDb,
      AMQP_URL: testAmqpUrl,
      ORDER_EVENTS_EXCHANGE: topology.exchange,
      NOTIFICATIONS_QUEUE: topology.notificationsQueue,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'info',
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      ORDER_CANCEL_WINDOW_MS: '0',
      ...env,
    },
    envFor,
  });
  const stop = async () => {
    await stack.stop();
    await deleteEventTopology(topology).catch(() => {});
  };
  const addReplica = async (name: 'api' | 'worker') => stack.startReplica(name, await freePort());
  const databases = { users: usersDb, orders: ordersDb, notifications: notificationsDb };
  return { ...stack, stop, serviceToken, admin, logFile, topology, databases, addReplica };
}

export interface StackFixture {
  stack: TestStack;
  api: ReturnType<typeof createGatewayClient>;
  adminToken: string;
}

/** Registers the hooks of an end-to-end file: the stack started in `beforeAll`, stopped in `afterAll`. */
export function useTestStack(label: string, env: Record<string, string> = {}): StackFixture {
  const fixture = {} as StackFixture;
  beforeAll(async () => {
    fixture.stack = await startTestStack(label, env);
    fixture.api = createGatewayClient(fixture.stack.urls.api);
    fixture.adminToken = await fixture.api.login(fixture.stack.admin.email, fixture.stack.admin.password);
  });
  afterAll(async () => {
    await fixture.stack?.stop();
  });
  return fixture;
}
