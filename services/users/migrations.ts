import { fileURLToPath } from 'node:url';

/** The drizzle-kit output folder, next to this file in source and in a build that copies it. */
export const migrationsFolder = fileURLToPath(new URL('./drizzle', import.meta.url));

/** pg_advisory_lock key serialising migrations of the users database across processes. */
export const MIGRATION_LOCK_KEY = 7001;
