import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { readMigrationFiles } from 'drizzle-orm/migrator';

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

/**
 * Applies drizzle-kit migrations under a PostgreSQL advisory lock: drizzle's migrate() takes
 * none, so two processes starting at once could otherwise apply the same migration twice.
 */
export async function migrateWithLock(url: string, migrationsFolder: string, lockKey: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${lockKey})`;
    try {
      const db = drizzle(sql);
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      readMigrationFiles({ migrationsFolder });
      await migrate(db, { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${lockKey})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
