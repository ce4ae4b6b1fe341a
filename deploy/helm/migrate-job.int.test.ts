import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropDatabases } from '../../scripts/databases.js';
import { ensureHelm } from '../../scripts/tools.js';
import { renderChart } from './render.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomUUID().slice(0, 8);
const usersUrl = databaseUrl(adminUrl, `helm_users_${suffix}`);
const ordersUrl = databaseUrl(adminUrl, `helm_orders_${suffix}`);
const notificationsUrl = databaseUrl(adminUrl, `helm_notifications_${suffix}`);

async function appliedMigrations(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ count: string }[]>`select count(*) from drizzle.__drizzle_migrations`;
    return Number(row?.count);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const migrationFiles = async (service: string) =>
  (await readdir(join(root, 'services', service, 'drizzle'))).filter((file) => file.endsWith('.sql')).length;

describe("the chart's migration Job", () => {
  // The first run on a machine builds Helm with `go install` (minutes on two cores).
  beforeAll(() => ensureHelm(), 1_500_000);
  afterAll(() => dropDatabases(adminUrl, [usersUrl, ordersUrl, notificationsUrl]));

  it('creates and migrates every database, twice at once without conflict', async () => {
    const manifests = await renderChart(['--set', 'secrets.existingSecret=s']);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-migrate')) as
      { data?: Record<string, string> } | undefined;
    // The image's /app/dist is the source tree here (tsx resolves the .js imports to their .ts files).
    const script = configMap!.data!['migrate.mjs']!.replaceAll('/app/dist/', root);
    const dir = await mkdtemp(join(tmpdir(), 'helm-migrate-'));
    try {
      await writeFile(join(dir, 'migrate.mts'), script);
      const env = {
        ...process.env,
        USERS_DATABASE_URL: usersUrl,
        ORDERS_DATABASE_URL: ordersUrl,
        NOTIFICATIONS_DATABASE_URL: notificationsUrl,
      };
      const job = () => run(process.execPath, ['--import', 'tsx', join(dir, 'migrate.mts')], { env, cwd: root });
      const outputs = await Promise.all([job(), job()]);
      expect(outputs.map(({ stdout }) => stdout.match(/^migrated/gm)?.length)).toEqual([3, 3]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await appliedMigrations(usersUrl)).toBe(await migrationFiles('users'));
    expect(await appliedMigrations(ordersUrl)).toBe(await migrationFiles('orders'));
    expect(await appliedMigrations(notificationsUrl)).toBe(await migrationFiles('notifications'));
  });
});
