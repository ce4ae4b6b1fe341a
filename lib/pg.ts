import postgres from 'postgres';
import type { Logger } from './logger.js';

/** Creates the database named in `url` when it does not exist yet (safe when run concurrently). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      try {
        await sql.unsafe(`create database "${name}"`);
      } catch (error) {
        // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

type Client = postgres.Sql | postgres.TransactionSql;

/**
 * drizzle sends every query as an unnamed statement, and postgres.js then asks the server for its
 * parameter types before running it: two round trips per query. A named (prepared) statement is
 * described once per connection and costs one round trip after that. Hand drizzle this client,
 * transactions and savepoints included, and every query it sends is prepared.
 */
export function preparedStatements<T extends Client>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (tx: postgres.TransactionSql) =>
            body(preparedStatements(tx)),
          );
        };
      }
      return value;
    },
  });
}

/**
 * postgres.js 3.4.x (3.4.10 too) can write to a connection whose socket is already gone: a transaction
 * that fails because PostgreSQL went away sends its ROLLBACK on the closed connection, and the deferred
 * write throws from a timer (porsager/postgres#1154, #1208). No caller can catch it; the process dies.
 */
function isDriverWriteAfterClose(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    /postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(error.stack ?? '') &&
    (error.stack ?? '').includes('nextWrite')
  );
}

/**
 * postgres.js's `closed()` strips a socket of its listeners (removeAllListeners) while the peer's reset may
 * still arrive, as when PostgreSQL stops with `-m immediate`: that ECONNRESET then has no listener. The pool
 * already counts the connection as gone, so it is only reported.
 */
function isResetOfReleasedSocket(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  const frames = (error.stack ?? '').split('\n').slice(1);
  return code === 'ECONNRESET' && syscall === 'read' && frames.every((frame) => frame.includes('node:internal'));
}

const pools = new Set<() => void>();

/**
 * postgres.js waits up to 20 s (3^failures / 100, failures counted for the whole pool) before it tries a
 * connection again, so a query issued just after an outage could wait that long: at most 1 s here.
 */
const reconnectDelaySeconds = (failures: number) => Math.min(0.1 * 2 ** failures, 1) * (0.5 + Math.random() / 2);
let guardLogger: Logger | undefined;
let replacing: NodeJS.Immediate | undefined;

/** As Node does for an uncaught exception nobody else listens for: report it and exit 1. */
function onUncaught(error: unknown): void {
  if (isDriverWriteAfterClose(error)) {
    guardLogger?.warn({ err: (error as Error).message }, 'postgres.js wrote to a closed connection; new pool');
    // Several connections of one pool fail in the same turn: one new pool for all of them.
    replacing ??= setImmediate(() => {
      replacing = undefined;
      for (const replace of pools) replace();
    });
    return;
  }
  if (isResetOfReleasedSocket(error)) {
    guardLogger?.warn({ err: (error as Error).message }, 'a socket postgres.js had released was reset');
    return;
  }
  if (process.listenerCount('uncaughtException') > 1) return;
  guardLogger?.fatal({ err: error }, 'uncaught exception');
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

/** Installs (once per process) the handler that survives the driver's two defects above; every other uncaught error still exits 1. */
function guardPostgresDriver(logger: Logger): void {
  if (guardLogger) return;
  guardLogger = logger;
  process.on('uncaughtException', onUncaught);
}

/**
 * A postgres.js pool that survives its driver's write-after-close defect: the connection that threw is
 * left with a stuck write buffer (it would never send again), so the whole pool is swapped for a fresh
 * one and the old one ended. Callers hold this proxy; it always forwards to the live pool.
 */
export function createPostgresClient(url: string, options: postgres.Options<Record<string, never>>, logger: Logger) {
  guardPostgresDriver(logger);
  const open = () => postgres(url, { onnotice: () => {}, backoff: reconnectDelaySeconds, ...options });
  let live = open();
  const replace = () => {
    const old = live;
    live = open();
    // drizzle sets its own parsers on the pool it is given: the new pool must keep them.
    Object.assign(live.options.parsers, old.options.parsers);
    Object.assign(live.options.serializers, old.options.serializers);
    void old.end({ timeout: 5 }).catch(() => undefined);
  };
  pools.add(replace);
  const end = async (endOptions?: { timeout?: number }) => {
    pools.delete(replace);
    await live.end(endOptions);
  };
  return new Proxy((() => undefined) as unknown as postgres.Sql, {
    apply: (_target, thisArg, args) => Reflect.apply(live as unknown as (...a: unknown[]) => unknown, thisArg, args),
    get: (_target, property) => (property === 'end' ? end : Reflect.get(live, property)),
    set: (_target, property, value) => Reflect.set(live, property, value),
  });
}
