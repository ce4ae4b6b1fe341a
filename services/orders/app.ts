import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { createServiceApp, type AppEnv } from '../../lib/service-app.js';
import type { OrdersDb } from './db.js';
import { createOrderStore } from './order-store.js';
import { createOrdersRoutes } from './orders-routes.js';
import { createPaymentStore } from './payment-store.js';
import { createPaymentsRoutes } from './payments-routes.js';
import type { PaymentProvider } from './provider.js';

export interface OrdersAppDeps {
  db: OrdersDb;
  provider: PaymentProvider;
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
}

/** The orders service: orders with a guarded state machine, and idempotent payments. */
export function createOrdersApp({ db, provider, logger, metrics, serviceToken }: OrdersAppDeps): Hono<AppEnv> {
  const app = createServiceApp({
    logger,
    metrics,
    serviceToken,
    readiness: { postgres: async () => void (await db.execute(sql`select 1`)) },
  });
  app.route('/v1/orders', createOrdersRoutes(createOrderStore(db)));
  app.route('/v1/payments', createPaymentsRoutes(createPaymentStore(db, provider)));
  return app;
}
