import { Connection, type ConnectionOptions } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { mkdir } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import proto from '@temporalio/proto';
import { ensureDatabase } from '../lib/pg.js';
import { SearchAttribute } from '../contracts/order-saga.js';
import { FERRETDB_PLAN_SETTINGS } from './ferretdb-indexes.js';
import { spawnManaged, waitFor, type ManagedProcess } from './processes.js';

export interface TemporalOptions {
  bin: string;
  port: number;
  uiPort: number;
  /** Persistent state; omit for an in-memory server (tests). */
  dbFile?: string;
  headless?: boolean;
  /** The codec server the Web UI decodes payloads with (`<endpoint>/decode`): the gateway's `/codec`. */
  codecEndpoint?: string;
  /** The server's Prometheus `/metrics` port (otherwise a random free port nobody knows). */
  metricsPort?: number;
  output?: Writable;
  /** Told the process as soon as it is spawned (a supervisor restarting it must be able to stop it). */
  onSpawn?: (proc: ManagedProcess) => void;
}

/**
 * SQLite settings for a file-backed server: WAL with synchronous=NORMAL commits without an fsync per
 * transaction (2–3× the workflows/s of the defaults). A crashed process loses nothing; a power loss
 * or OS crash may roll back the last transactions, never corrupt the file.
 */
const DURABLE_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

/**
 * Server settings for one machine: a worker completing a workflow task gets the activities it scheduled
 * in the same answer (no matching round trip): a no-op saga's single-run latency measured 351 → 204 ms.
 */
const DEV_SERVER_DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': true } as const;

const searchAttributeFlags = Object.values(SearchAttribute).flatMap((name) => [
  '--search-attribute',
  `${name}=Keyword`,
]);

export async function startTemporal(options: TemporalOptions): Promise<ManagedProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
  ];
  args.push('--log-level', 'error', '--namespace', 'default', ...searchAttributeFlags);
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of DURABLE_SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  if (options.headless) args.push('--headless');
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  const proc = spawnManaged('temporal', options.bin, args, { output: options.output });
  options.onSpawn?.(proc);
  const address = `127.0.0.1:${options.port}`;
  await Promise.race([
    waitFor('Temporal', () => temporalReady(address), 90_000, 300),
    proc.exited.then((code) => Promise.reject(new Error(`Temporal exited early (${code})`))),
  ]);
  await ensureSearchAttributes(address);
  return proc;
}

export async function temporalReady(address: string, namespace = 'default'): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/** Where Temporal is and how to reach it: an address, or the options `temporalConnectionOptions` builds. */
type TemporalTarget = ConnectionOptions & { address: string };

/** Registers the saga's Keyword search attributes if a reused or external server lacks them. */
export async function ensureSearchAttributes(target: string | TemporalTarget, namespace = 'default'): Promise<void> {
  const connection = await Connection.connect(typeof target === 'string' ? { address: target } : target);
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SearchAttribute).filter((name) => !(name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])),
    });
  } finally {
    await connection.close();
  }
}

export interface FerretOptions {
  bin: string;
  port: number;
  /** PostgreSQL database FerretDB stores its collections in (created if missing). */
  postgresUrl: string;
  stateDir: string;
  /** FerretDB opens up to 50 PostgreSQL connections by default; several stacks share one server. */
  maxConnections?: number;
  output?: Writable;
  onSpawn?: (proc: ManagedProcess) => void;
}

/** FerretDB's PostgreSQL URL: its pool bounded, and its statements planned so GIN indexes serve them. */
function ferretPostgresUrl(url: string, max: number): string {
  const u = new URL(url);
  if (!u.searchParams.has('pool_max_conns')) u.searchParams.set('pool_max_conns', String(max));
  for (const [name, value] of Object.entries(FERRETDB_PLAN_SETTINGS)) u.searchParams.set(name, value);
  return u.toString();
}

export async function startFerretDb(options: FerretOptions): Promise<ManagedProcess> {
  await ensureDatabase(options.postgresUrl);
  await mkdir(options.stateDir, { recursive: true });
  const args = [
    '--handler=postgresql',
    `--postgresql-url=${ferretPostgresUrl(options.postgresUrl, options.maxConnections ?? 10)}`,
    `--listen-addr=127.0.0.1:${options.port}`,
    '--debug-addr=-',
    `--state-dir=${options.stateDir}`,
    '--telemetry=disable',
    '--log-level=error',
  ];
  const proc = spawnManaged('ferretdb', options.bin, args, { output: options.output });
  options.onSpawn?.(proc);
  const url = `mongodb://127.0.0.1:${options.port}/`;
  await Promise.race([
    waitFor('FerretDB', () => mongoReady(url), 60_000, 200),
    proc.exited.then((code) => Promise.reject(new Error(`FerretDB exited early (${code})`))),
  ]);
  return proc;
}

async function mongoReady(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}
