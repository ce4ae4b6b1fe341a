import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { databaseUrl, dropDatabases } from '../../scripts/databases.js';
import { freePort, httpOk, waitFor } from '../../scripts/processes.js';
import { DEFAULT_AMQP_URL } from '../../lib/amqp.js';
import { deleteEventTopology } from '../../scripts/broker.js';
import { processesUsing } from './components.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PORT_VARS = [
  'API_PORT',
  'USERS_PORT',
  'PRODUCTS_PORT',
  'ORDERS_PORT',
  'WORKER_PORT',
  'NOTIFICATIONS_PORT',
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'MONGO_PORT',
] as const;

export interface LaunchedStack {
  /** Prefix of the stack's databases, exchange and queues. */
  id: string;
  dataDir: string;
  ordersDatabaseUrl: string;
  ports: Record<(typeof PORT_VARS)[number], number>;
  serviceToken: string;
  admin: { email: string; password: string };
  /** Every line the launcher printed so far (its own and its children's). */
  lines: string[];
  exited: Promise<number | string>;
  /** null while the launcher runs. */
  exitCode(): number | string | null;
  /** SIGTERM as Ctrl-C would, then anything left is killed and the databases dropped. */
  stopAndClean(): Promise<void>;
}

/**
 * `npm start` (scripts/start.ts, the real launcher and its supervisor) on free ports, with its own
 * Temporal dev server (db file), its own FerretDB and throwaway databases.
 */
export async function launchStack(options: {
  postgresUrl: string;
  logFile: string;
  parentDir: string;
  env?: Record<string, string>;
}): Promise<LaunchedStack> {
  const id = `chaos_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dataDir = await mkdtemp(join(options.parentDir, `${id}-`));
  const ports = Object.fromEntries(await Promise.all(PORT_VARS.map(async (v) => [v, await freePort()] as const)));
  const serviceToken = randomBytes(24).toString('base64url');
  const topology = {
    amqpUrl: process.env.AMQP_URL ?? DEFAULT_AMQP_URL,
    exchange: `${id}.events`,
    notificationsQueue: `${id}.notifications`,
  };
  const admin = { email: 'chaos-admin@example.com', password: 'chaos-admin-password' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: dataDir,
      DATABASE_URL: options.postgresUrl,
      SHOP_DB_PREFIX: id,
      // Its own exchange and queue: other runs share the broker.
      ORDER_EVENTS_EXCHANGE: topology.exchange,
      NOTIFICATIONS_QUEUE: topology.notificationsQueue,
      SERVICE_TOKEN: serviceToken,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      SEED_DEMO_CATALOG: 'false',
      TEMPORAL_ADDRESS: '',
      MONGO_URL: '',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(options.logFile);
  const lines: string[] = [];
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        log.write(`${new Date().toISOString()} ${line}\n`);
        if (line === '[start] ready') resolve();
      });
    }
    void exited.then((code) => reject(new Error(`launcher exited (${code}) before ready; see ${options.logFile}`)));
  });

  const stopAndClean = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    for (const leftover of await processesUsing(dataDir)) process.kill(leftover.pid, 'SIGKILL');
    const names = ['users', 'orders', 'notifications', 'ferretdb', 'temporal', 'temporal_visibility'].map((db) =>
      databaseUrl(options.postgresUrl, `${id}_${db}`),
    );
    await dropDatabases(options.postgresUrl, names);
    await deleteEventTopology(topology).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    log.end();
  };
  try {
    await ready;
  } catch (error) {
    await stopAndClean();
    throw error;
  }
  const exitCode = () => child.exitCode ?? child.signalCode;
  return {
    id,
    dataDir,
    ordersDatabaseUrl: databaseUrl(options.postgresUrl, `${id}_orders`),
    ports: ports as LaunchedStack['ports'],
    serviceToken,
    admin,
    lines,
    exited,
    exitCode,
    stopAndClean,
  };
}

/** Until the gateway is ready (it checks Temporal and every service) and the worker is healthy; fails if the launcher exits. */
export async function untilAllReady(stack: LaunchedStack, timeoutMs = 120_000): Promise<void> {
  const ok = (port: number, path: string) => httpOk(`http://127.0.0.1:${port}${path}`);
  await Promise.race([
    stack.exited.then((code) => Promise.reject(new Error(`the launcher exited (${code})`))),
    waitFor(
      'every component ready',
      async () => (await ok(stack.ports.API_PORT, '/readyz')) && (await ok(stack.ports.WORKER_PORT, '/healthz')),
      timeoutMs,
      100,
    ),
  ]);
}
