import { fileURLToPath } from 'node:url';
import { migratePostgres, type PostgresMigrations } from '../../lib/migrations.js';

/** The drizzle-kit output folder (next to this file in source and in a build that copies it), lock key 7005. */
const migrations: PostgresMigrations = {
  folder: fileURLToPath(new URL('./drizzle', import.meta.url)),
  lockKey: 7005,
};

/** Creates and migrates the notifications database; safe when several processes start at once. */
export const migrate = (databaseUrl: string) => migratePostgres(databaseUrl, migrations);
