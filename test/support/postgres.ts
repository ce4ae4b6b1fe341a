import { ensureDatabase } from '../../lib/pg.js';
import { databaseUrl, databasesWithPrefix, dropDatabases } from '../../scripts/databases.js';

export { databaseUrl };

/** A throwaway database for one test file, named under the run id so global teardown drops it. */
export async function createTestDatabase(baseUrl: string, runId: string, label: string): Promise<string> {
  const name = `${runId}_${label}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const url = databaseUrl(baseUrl, name);
  await ensureDatabase(url);
  return url;
}

export async function dropDatabasesWithPrefix(baseUrl: string, prefix: string): Promise<void> {
  await dropDatabases(baseUrl, await databasesWithPrefix(baseUrl, prefix));
}
