import { fileURLToPath } from 'node:url';
import { migratePostgres, type PostgresMigrations } from '../../lib/migrations.js';

/** The drizzle-kit output folder (next to this file in source and in a build that copies it), lock key 7001. */
const migrations: PostgresMigrations = {
  folder: fileURLToPath(new URL('./drizzle', import.meta.url)),
  lockKey: 7001,
};

/** Creates and migrates the users database; safe when several processes start at once. */
export const migrate = (databaseUrl: string) => migratePostgres(databaseUrl, migrations);
