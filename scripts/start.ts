// `npm start`: builds the tools if needed, then runs the whole system on this machine.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '../lib/config.js';
import { ensureDatabase } from '../lib/pg.js';
import { declareEventTopology } from './broker.js';
import { drainStackBuilds } from './drain-builds.js';
import { dropDatabases } from './databases.js';
import { indexFerretDbLookups } from './ferretdb-indexes.js';
import { startFerretDb, ensureSearchAttributes } from './infra.js';
import { temporalConnectionOptions } from '../lib/temporal-connection.js';
import { observabilityFor, plannedPorts, startObservability, startTraceBackend } from './observability.js';
import { prettyOutput } from './pretty-output.js';
import { waitForDependency } from './readiness.js';
import { assertPortsFree } from './processes.js';
import { appEnvironment, LauncherConfig, shopDatabaseUrls } from './start-config.js';
import { startAppStack, type AppStack } from './stack.js';
import { createSupervisor } from './supervisor.js';
import { engineFromArgs, startTemporalEngine } from './temporal-engine.js';
import { engineDatabases } from './temporal-server.js';
import { ensureFerretDb, ToolchainMissingError } from './tools.js';

const config = loadConfigOrExit(LauncherConfig, process.env);
const fresh = process.argv.includes('--fresh');
const engine = engineFromArgs(process.argv, config.TEMPORAL_ENGINE);
const observability = observabilityFor(process.argv, process.env);
const dataDir = resolve(config.DATA_DIR);
const postgresUrl = config.DATABASE_URL;
const ports = {
  api: config.API_PORT,
  users: config.USERS_PORT,
  products: config.PRODUCTS_PORT,
  orders: config.ORDERS_PORT,
  worker: config.WORKER_PORT,
  notifications: config.NOTIFICATIONS_PORT,
};
const temporalPort = config.TEMPORAL_PORT;
const temporalUiPort = config.TEMPORAL_UI_PORT;
const mongoPort = config.MONGO_PORT;
const dbPrefix = config.SHOP_DB_PREFIX;
const databases = shopDatabaseUrls(config);
const output = prettyOutput(process.stdout);
const infra: string[] = [];
let stack: AppStack | undefined;
let draining: { stop: () => Promise<void> } | undefined;
let stopping = false;

function say(line: string): void {
  output.write(line.startsWith('!!!') ? `\n[start] ${line}\n\n` : `[start] ${line}\n`);
}
// A child that dies is restarted as a container platform would; only a crash loop stops the stack.
const supervisor = createSupervisor({ say, onCrashLoop: () => void stopAll(1) });

async function serviceToken(): Promise<string> {
  if (config.SERVICE_TOKEN) return config.SERVICE_TOKEN;
  const file = join(dataDir, 'service-token');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

async function stopAll(code: number): Promise<void> {
  // Ctrl-C reaches npm, tsx and this process at once: later signals must not cut the shutdown short.
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => process.exit(code || 1), 14_000);
  deadline.unref();
  supervisor.stop();
  await draining?.stop();
  await stack?.stop();
  for (const name of infra.reverse()) await supervisor.current(name)?.stop(5000);
  say(code === 0 ? 'stopped' : 'stopped after a failure');
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // A closed terminal or pipe must not kill the launcher half-way and orphan the stack.
  process.stdout.on('error', () => undefined);
  process.on('uncaughtException', (error) => {
    process.stderr.write(`[start] unexpected error: ${error.message}\n`);
    void stopAll(1);
  });
  if (fresh) {
    say(`--fresh: wiping ${dataDir} and the shop databases`);
    await rm(dataDir, { recursive: true, force: true });
    const { history, visibility } = engineDatabases(dbPrefix);
    const shop = [databases.users, databases.orders, databases.notifications, databases.ferret];
    await dropDatabases(postgresUrl, [...shop, history, visibility]);
  }
  await mkdir(dataDir, { recursive: true });

  const temporalAddress = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${temporalPort}`;
  const mongoUrl = config.MONGO_URL ?? `mongodb://127.0.0.1:${mongoPort}/`;
  const wanted: Record<string, number> = { ...ports };
  if (!config.TEMPORAL_ADDRESS) Object.assign(wanted, { temporal: temporalPort, 'temporal-ui': temporalUiPort });
  if (!config.MONGO_URL) wanted.mongodb = mongoPort;
  await assertPortsFree({ ...wanted, ...plannedPorts(observability) });

  // A shared dependency that is down is waited for (with a line saying so), never a reason to give up.
  const shopDatabases = [databases.users, databases.orders, databases.notifications];
  if (!config.MONGO_URL) shopDatabases.push(databases.ferret);
  await waitForDependency('PostgreSQL', () => Promise.all(shopDatabases.map(ensureDatabase)), say);
  if (!config.TEMPORAL_ADDRESS) {
    infra.push(
      ...(await startTemporalEngine({
        engine,
        supervisor,
        dataDir,
        port: temporalPort,
        uiPort: temporalUiPort,
        postgresUrl,
        databasePrefix: dbPrefix,
        metricsPort: observability?.ports.TEMPORAL_SERVER_METRICS_PORT,
        codecEndpoint: `http://127.0.0.1:${ports.api}/codec`,
        output,
        say,
      })),
    );
  } else {
    const target = temporalConnectionOptions({ ...config, TEMPORAL_ADDRESS: temporalAddress });
    await ensureSearchAttributes(target, config.TEMPORAL_NAMESPACE);
  }
  if (!config.MONGO_URL) {
    say('starting FerretDB (MongoDB protocol, on PostgreSQL)…');
    const bin = await ensureFerretDb();
    infra.push('ferretdb');
    await supervisor.start('ferretdb', (onSpawn) =>
      startFerretDb({
        bin,
        port: mongoPort,
        postgresUrl: databases.ferret,
        stateDir: join(dataDir, 'ferretdb'),
        output,
        onSpawn,
      }),
    );
  }
  const jaeger = observability?.jaeger;
  if (jaeger) {
    // Before the app processes, so the first spans they export have somewhere to go.
    say('starting Jaeger (traces)…');
    infra.push('jaeger');
    await supervisor.start('jaeger', (onSpawn) => startTraceBackend(jaeger, { dataDir, output }, onSpawn));
  }
  const amqpUrl = config.AMQP_URL;
  say('declaring the order events exchange and queues on RabbitMQ…');
  const topology = { amqpUrl, exchange: config.ORDER_EVENTS_EXCHANGE, notificationsQueue: config.NOTIFICATIONS_QUEUE };
  await waitForDependency('RabbitMQ', () => declareEventTopology(topology), say);

  const adminEmail = config.ADMIN_EMAIL ?? 'admin@example.com';
  const adminPassword = config.ADMIN_PASSWORD ?? 'admin-password';
  say('starting services, worker and gateway…');
  stack = await startAppStack({
    ports,
    output,
    compiled: true,
    env: {
      ...appEnvironment(config, {
        dataDir,
        serviceToken: await serviceToken(),
        temporalAddress,
        mongoUrl,
        databases,
        admin: { email: adminEmail, password: adminPassword },
      }),
      ...observability?.appEnv,
    },
    envFor: {
      worker: {
        TEMPORAL_WORKER_VERSIONING: String(config.TEMPORAL_WORKER_VERSIONING),
        TEMPORAL_DEPLOYMENT_NAME: config.TEMPORAL_DEPLOYMENT_NAME,
      },
    },
  });
  const apps = stack;
  if (!config.MONGO_URL) await indexFerretDbLookups(databases.ferret);
  for (const [name, proc] of apps.processes) {
    supervisor.watch(name, proc, async (onSpawn) => {
      const ready = apps.startOne(name);
      onSpawn(apps.processes.get(name)!);
      await ready;
      return apps.processes.get(name)!;
    });
  }
  if (config.TEMPORAL_WORKER_VERSIONING) {
    draining = await drainStackBuilds({
      apps,
      connection: temporalConnectionOptions({ ...config, TEMPORAL_ADDRESS: temporalAddress }),
      namespace: config.TEMPORAL_NAMESPACE,
      deploymentName: config.TEMPORAL_DEPLOYMENT_NAME,
      // Its own SDK metrics port, should --observability have given the stack's worker one.
      ownMetricsPort: !!observability,
      say,
    }).catch((error: unknown) => {
      say(`!!! could not look for older worker builds with open orders: ${(error as Error).message}`);
      return undefined;
    });
  }
  if (observability) {
    say('starting Prometheus…');
    infra.push('prometheus');
    const observed = { urls: stack.urls, dataDir, remoteTemporal: !!config.TEMPORAL_ADDRESS, output };
    await supervisor.start('prometheus', async (onSpawn) => {
      const proc = await startObservability(observability, observed);
      onSpawn(proc);
      return proc;
    });
  }
  const temporalUi = config.TEMPORAL_UI_URL ?? `http://127.0.0.1:${temporalUiPort}`;
  say(`Storefront   ${stack.urls.api}/`);
  say(`API          ${stack.urls.api}/api`);
  say(`API docs     ${stack.urls.api}/docs`);
  say(
    `Temporal UI  ${temporalUi}/namespaces/default/workflows${config.TEMPORAL_ADDRESS ? '' : ` (engine: ${engine})`}`,
  );
  if (observability) say(`Prometheus   http://127.0.0.1:${observability.ports.PROMETHEUS_PORT}/api/v1/targets`);
  if (jaeger) say(`Jaeger       http://127.0.0.1:${jaeger.query}/api/v3/traces/TRACE_ID (OTLP in on :${jaeger.otlp})`);
  say(`Admin        ${adminEmail} / ${config.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : adminPassword}`);
  say('ready');
}

main().catch(async (error: unknown) => {
  if (error instanceof ToolchainMissingError) say(error.message);
  else say(`failed: ${(error as Error).message}`);
  await stopAll(1);
});
