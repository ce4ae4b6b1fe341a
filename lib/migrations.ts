import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ensureDatabase } from './pg.js';

export interface PostgresMigrations {
  /** The drizzle-kit output folder. */
  folder: string;
  /** pg_advisory_lock key serialising this database's migrations across processes. */
  lockKey: number;
}

/**
 * Creates the database when missing, then applies drizzle-kit migrations under a PostgreSQL advisory
 * lock: drizzle's migrate() takes none, so two processes starting at once could otherwise apply the
 * same migration twice.
 */
export async function migratePostgres(url: string, { folder, lockKey }: PostgresMigrations): Promise<void> {
  await ensureDatabase(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${lockKey})`;
    try {
      readMigrationFiles({ migrationsFolder: folder });
      await migrate(drizzle(sql), { migrationsFolder: folder });
    } finally {
      await sql`select pg_advisory_unlock(${lockKey})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
