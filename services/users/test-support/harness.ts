import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { drizzle } from 'drizzle-orm/postgres-js';
import { preparedStatements } from '../../../lib/pg.js';
import postgres from 'postgres';
import { inject } from 'vitest';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../../contracts/users.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { TEST_SERVICE_TOKEN } from '../../../test/support/constants.js';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { createUsersApp } from '../app.js';
import { loadSigningKeys, type SigningKeys } from '../keys.js';
import { migrate } from '../migrations.js';
import { limitPasswordWork, type PasswordCapacity } from '../password-capacity.js';
import { createPasswordHasher, type PasswordHasher } from '../passwords.js';
import { createUserStore, type UserStore } from '../store.js';
import { createTokenIssuer } from '../tokens.js';

export const auth = { authorization: `Bearer ${TEST_SERVICE_TOKEN}` };
export const json = { ...auth, 'content-type': 'application/json' };

/** Captures every log line in memory so tests can assert what was (not) logged. */
export function memoryLogStream() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, lines, text: () => lines.join('') };
}

export interface Harness {
  url: string;
  app: ReturnType<typeof createUsersApp>;
  sql: postgres.Sql;
  store: UserStore;
  passwords: PasswordHasher;
  keys: SigningKeys;
  dataDir: string;
  logs: ReturnType<typeof memoryLogStream>;
  /** argon2 hashes and verifies started so far (behind the capacity limit, when there is one). */
  argon2Calls: () => number;
  close: () => Promise<void>;
}

/**
 * A users app over a throwaway, migrated database, with a temporary key directory; its password work
 * bounded as main.ts bounds it when given a capacity.
 */
export async function createHarness(label: string, capacity?: PasswordCapacity): Promise<Harness> {
  const url = await createTestDatabase(inject('postgresUrl'), inject('runId'), label);
  await migrate(url);
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  const store = createUserStore(drizzle(preparedStatements(sql)));
  const argon2 = countCalls(await createPasswordHasher());
  const passwords = capacity ? limitPasswordWork(argon2.hasher, capacity) : argon2.hasher;
  const dataDir = await mkdtemp(join(tmpdir(), 'users-keys-'));
  const keys = await loadSigningKeys({ dataDir });
  const logs = memoryLogStream();
  const logger = createLogger('users', 'debug', logs.stream);
  const tokens = createTokenIssuer({
    keys,
    issuer: TOKEN_ISSUER_DEFAULT,
    audience: TOKEN_AUDIENCE_DEFAULT,
    ttlSeconds: 900,
  });
  const app = createUsersApp({
    logger,
    metrics: createMetrics('users', false),
    serviceToken: TEST_SERVICE_TOKEN,
    store,
    passwords,
    tokens,
  });
  const close = async () => {
    await sql.end({ timeout: 5 });
    await rm(dataDir, { recursive: true, force: true });
  };
  return { url, app, sql, store, passwords, keys, dataDir, logs, argon2Calls: argon2.calls, close };
}

function countCalls(hasher: PasswordHasher) {
  let calls = 0;
  const counted =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    (...args: A) => {
      calls += 1;
      return work(...args);
    };
  return {
    calls: () => calls,
    hasher: {
      hash: counted(hasher.hash),
      verify: counted(hasher.verify),
      verifyAgainstDummy: counted(hasher.verifyAgainstDummy),
    } satisfies PasswordHasher,
  };
}

export async function post(app: Harness['app'], path: string, body: unknown, headers: Record<string, string> = json) {
  return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

export async function put(app: Harness['app'], path: string, body: unknown, headers: Record<string, string> = json) {
  return app.request(path, { method: 'PUT', headers, body: JSON.stringify(body) });
}
