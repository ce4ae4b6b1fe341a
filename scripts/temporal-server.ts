// The production Temporal engine on PostgreSQL: schema by its SQL tool, one process for all four services.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ensureDatabase } from '../lib/pg.js';
import { databaseUrl } from './databases.js';
import { ensureSearchAttributes } from './infra.js';
import { freePort, portFree, spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import type { TemporalServerTools } from './temporal-server-tools.js';

const run = promisify(execFile);

export interface TemporalServerOptions {
  tools: TemporalServerTools;
  /** Any database URL of the PostgreSQL server; the engine's two databases are made beside it. */
  postgresUrl: string;
  /** `<prefix>_temporal` holds histories and tasks, `<prefix>_temporal_visibility` the workflow list. */
  databasePrefix: string;
  /** The frontend's gRPC port: the address every client and worker dials. */
  port: number;
  /** Config and the internal ports, kept across restarts so membership finds the same hosts. */
  stateDir: string;
  metricsPort?: number;
  output?: Writable;
  onSpawn?: (proc: ManagedProcess) => void;
}

/** Four history shards, as upstream's single-host PostgreSQL config: fixed for the life of the databases. */
const HISTORY_SHARDS = 4;
/** Closed orders stay in history (and replayable by `npm run replay`) for a week. */
const RETENTION_SECONDS = 7 * 24 * 3600;
/** Same behaviour as the dev server's settings (scripts/infra.ts). */
const DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': [{ value: true }] };

export const engineDatabases = (prefix: string) => ({
  history: `${prefix}_temporal`,
  visibility: `${prefix}_temporal_visibility`,
});

/** Creates both databases if missing and migrates them to the schema this server version embeds. */
async function migrateTemporalSchema(sqlTool: string, postgresUrl: string, prefix: string): Promise<void> {
  const url = new URL(postgresUrl);
  const databases = engineDatabases(prefix);
  for (const [database, schema] of [
    [databases.history, 'temporal'],
    [databases.visibility, 'visibility'],
  ] as const) {
    await ensureDatabase(databaseUrl(postgresUrl, database));
    const connect = ['--plugin', 'postgres12', '--ep', url.hostname, '-p', url.port || '5432'];
    connect.push('-u', decodeURIComponent(url.username || 'postgres'), '--db', database);
    if (url.password) connect.push('--pw', decodeURIComponent(url.password));
    await run(sqlTool, [...connect, 'setup-schema', '-v', '0.0']);
    await run(sqlTool, [...connect, 'update-schema', '--schema-name', `postgresql/v12/${schema}`]);
  }
}

type InternalPorts = Record<'http' | 'history' | 'matching' | 'worker', number> & { membership: number[] };

/** Membership ports are stored as a PostgreSQL smallint, so they come from below the kernel's ephemeral range. */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portFree(port)) return port;
  }
}

async function internalPorts(stateDir: string): Promise<InternalPorts> {
  const file = join(stateDir, 'ports.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as InternalPorts;
  const member = freeMembershipPort;
  const ports = {
    http: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    membership: [await member(), await member(), await member(), await member()],
  };
  await writeFile(file, JSON.stringify(ports));
  return ports;
}

/** The server's config file (JSON is YAML): upstream's development-postgres12.yaml with this stack's ports and databases. */
function serverConfig(options: TemporalServerOptions, ports: InternalPorts, dynamicConfigFile: string) {
  const url = new URL(options.postgresUrl);
  const databases = engineDatabases(options.databasePrefix);
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${url.hostname}:${url.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const [frontendMember, historyMember, matchingMember, workerMember] = ports.membership as [
    number,
    number,
    number,
    number,
  ];
  return {
    log: { stdout: true, level: 'error' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: HISTORY_SHARDS,
      // Each of the four services opens its own pools: 4 × (6 + 2) connections at most, of PostgreSQL's default 100.
      datastores: { default: store(databases.history, 6), visibility: store(databases.visibility, 2) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      ...(options.metricsPort
        ? {
            metrics: {
              prometheus: {
                framework: 'tally',
                timerType: 'histogram',
                listenAddress: `127.0.0.1:${options.metricsPort}`,
              },
            },
          }
        : {}),
    },
    services: {
      frontend: rpc(options.port, frontendMember, { httpPort: ports.http }),
      history: rpc(ports.history, historyMember),
      matching: rpc(ports.matching, matchingMember),
      worker: rpc(ports.worker, workerMember),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${options.port}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Migrates the schema, starts the server, and registers the `default` namespace and the saga's search attributes. */
export async function startTemporalServer(options: TemporalServerOptions): Promise<ManagedProcess> {
  await migrateTemporalSchema(options.tools.sqlTool, options.postgresUrl, options.databasePrefix);
  await mkdir(options.stateDir, { recursive: true });
  const dynamicConfigFile = join(options.stateDir, 'dynamic-config.yaml');
  const configFile = join(options.stateDir, 'config.yaml');
  await writeFile(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2));
  const config = serverConfig(options, await internalPorts(options.stateDir), dynamicConfigFile);
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const args = ['--config-file', configFile, '--allow-no-auth', 'start'];
  const proc = spawnManaged('temporal', options.tools.server, args, { output: options.output });
  options.onSpawn?.(proc);
  const address = `127.0.0.1:${options.port}`;
  await Promise.race([
    waitFor('Temporal server', () => frontendServing(address), 120_000, 500),
    proc.exited.then((code) => Promise.reject(new Error(`Temporal server exited early (${code})`))),
  ]);
  await registerNamespace(address, 'default');
  await waitFor('the default namespace', () => namespaceServing(address, 'default'), 30_000, 300);
  await ensureSearchAttributes(address);
  return proc;
}

async function frontendServing(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/** A new namespace is served once every service's namespace cache has refreshed (2 s by default). */
async function namespaceServing(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
    return true;
  } finally {
    await connection.close();
  }
}

async function registerNamespace(address: string, namespace: string): Promise<void> {
  const retention = proto.google.protobuf.Duration.fromObject({ seconds: RETENTION_SECONDS });
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention })
      .catch((error: unknown) => {
        if (!/already exists/i.test((error as Error).message)) throw error;
      });
  } finally {
    await connection.close();
  }
}
