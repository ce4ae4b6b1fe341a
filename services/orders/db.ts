import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';

export type OrdersDb = PostgresJsDatabase;
export type OrdersTx = Parameters<Parameters<OrdersDb['transaction']>[0]>[0];
