import type { Hono } from 'hono';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { isPostgresOutage } from '../../lib/outages.js';
import { createServiceApp, type AppEnv } from '../../lib/service-app.js';
import { createCancelRequests } from './cancel-requests.js';
import { createHeldUnitsLimit } from './held-units.js';
import { createOrders } from './orders.js';
import type { PaymentProvider } from './payment-provider.js';
import { createPayments } from './payments.js';
import { registerOrdersRoutes } from './routes.js';
import { createStaleOrders } from './stale-orders.js';
import { pingOf, type OrdersDb } from './store.js';

export interface OrdersAppDeps {
  db: OrdersDb;
  provider: PaymentProvider;
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Called after a commit that may have written an outbox event (wakes the relay). */
  onOrderEvent?: () => void;
  /** Server-side bound on one payment provider call (defaults below the service client's 5 s). */
  providerTimeoutMs?: number;
  /** Units one customer's PENDING orders may hold together (held-units.ts). */
  maxHeldUnitsPerCustomer?: number;
}

/** The orders service: orders with a guarded state machine, and idempotent payments. */
export function createOrdersApp({
  db,
  provider,
  logger,
  metrics,
  serviceToken,
  onOrderEvent,
  providerTimeoutMs,
  maxHeldUnitsPerCustomer,
}: OrdersAppDeps): Hono<AppEnv> {
  const app = createServiceApp({ logger, metrics, serviceToken, readiness: { postgres: pingOf(db) } });
  const domain = {
    orders: createOrders(db, onOrderEvent),
    payments: createPayments(db, provider, providerTimeoutMs),
    cancels: createCancelRequests(db),
    stale: createStaleOrders(db),
    heldUnits: createHeldUnitsLimit(db, maxHeldUnitsPerCustomer),
  };
  registerOrdersRoutes(app, domain, { outage: (error) => (isPostgresOutage(error) ? 'postgres' : undefined) });
  return app;
}
