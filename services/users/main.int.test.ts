import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { usersApi } from '../../contracts/users-api.js';
import { createContractClient } from '../../lib/contract-client.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_SERVICE_TOKEN as SERVICE_TOKEN } from '../../test/support/constants.js';
import { databaseUrl } from '../../test/support/postgres.js';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
let dataDir: string;
let dbUrl: string;
let firstKids: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'users-main-'));
  // Not created here: main.ts must create it. The run-id prefix lets global teardown drop it.
  dbUrl = databaseUrl(inject('postgresUrl'), `${inject('runId')}_users_main_${Math.random().toString(36).slice(2, 8)}`);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath], {
    env: { PATH: process.env.PATH, ...env },
    cwd: process.cwd(),
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"users service listening"/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}${stdout}`)));
  });
  listening.catch(() => undefined);
  return { child, listening, exited, output: () => stdout + stderr };
}

const serviceEnv = () => ({
  SERVICE_TOKEN,
  USERS_PORT: '0',
  USERS_DATABASE_URL: dbUrl,
  DATA_DIR: dataDir,
  ADMIN_EMAIL: 'boss@example.com',
  ADMIN_PASSWORD: 'boss-passphrase',
  LOG_LEVEL: 'info',
});

async function jwksKids(url: string) {
  const body = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  return body.keys.map((key) => key.kid);
}

describe('users main.ts', () => {
  it('lists every configuration problem and exits non-zero', async () => {
    const run = start({ USERS_PORT: 'abc', ADMIN_EMAIL: 'a@b.co' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/SERVICE_TOKEN/);
    expect(run.output()).toMatch(/USERS_PORT/);
    expect(run.output()).toMatch(/ADMIN_PASSWORD/);
  });

  it('creates and migrates the database, seeds one admin when two start at once, and stops on SIGTERM', async () => {
    const [a, b] = [start(serviceEnv()), start(serviceEnv())];
    const [urlA, urlB] = await Promise.all([a.listening, b.listening]);
    expect((await fetch(`${urlA}/readyz`)).status).toBe(200);
    firstKids = await jwksKids(urlA);
    expect(firstKids).toHaveLength(1);
    expect(await jwksKids(urlB)).toEqual(firstKids);
    const users = createContractClient(
      usersApi,
      createServiceTransport({ service: 'users', baseUrl: urlB, token: SERVICE_TOKEN }),
    );
    expect(await users.login({ body: { email: 'BOSS@example.com', password: 'boss-passphrase' } })).toMatchObject({
      tokenType: 'Bearer',
    });
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    try {
      expect(await sql`select role from users`).toEqual([{ role: 'admin' }]);
    } finally {
      await sql.end({ timeout: 5 });
    }
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    expect(a.output()).toMatch(/"msg":"stopped"/);
    expect(a.output() + b.output()).not.toContain('boss-passphrase');
  });

  it('restarts on the migrated database with the same signing key', async () => {
    const run = start(serviceEnv());
    const url = await run.listening;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await jwksKids(url)).toEqual(firstKids);
    expect(run.output()).toMatch(/"event":"seed_admin","outcome":"exists"/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
