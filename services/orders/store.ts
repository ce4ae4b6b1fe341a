import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';

export type OrdersDb = PostgresJsDatabase;
export type OrdersTx = Parameters<Parameters<OrdersDb['transaction']>[0]>[0];

/** Throws when PostgreSQL does not answer: the readiness check. */
export const pingOf = (db: OrdersDb) => async () => void (await db.execute(sql`select 1`));
