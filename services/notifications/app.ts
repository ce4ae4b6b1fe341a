import type { Hono } from 'hono';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { createServiceApp, type AppEnv, type ReadinessCheck } from '../../lib/service-app.js';
import { registerNotificationRoutes } from './routes.js';
import type { NotificationStore } from './store.js';

export interface NotificationsAppDeps {
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  store: NotificationStore;
  /** Extra checks (the broker consumer) next to PostgreSQL. */
  readiness?: Record<string, ReadinessCheck>;
}

/** The notifications service: what customers were told about their orders, read by the gateway. */
export function createNotificationsApp({
  logger,
  metrics,
  serviceToken,
  store,
  readiness,
}: NotificationsAppDeps): Hono<AppEnv> {
  const app = createServiceApp({ logger, metrics, serviceToken, readiness: { postgres: store.ping, ...readiness } });
  registerNotificationRoutes(app, store);
  return app;
}
