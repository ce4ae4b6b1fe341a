import postgres from 'postgres';
import { ensureDatabase } from '../../lib/pg.js';

export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A throwaway database for one test file, named under the run id so global teardown drops it. */
export async function createTestDatabase(baseUrl: string, runId: string, label: string): Promise<string> {
  const name = `${runId}_${label}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const url = databaseUrl(baseUrl, name);
  await ensureDatabase(url);
  return url;
}

export async function dropDatabasesWithPrefix(baseUrl: string, prefix: string): Promise<void> {
  const sql = postgres(databaseUrl(baseUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${prefix}%`}`;
    for (const { datname } of rows) {
      await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
