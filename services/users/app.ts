import type { Hono } from 'hono';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { isPostgresOutage } from '../../lib/outages.js';
import { createServiceApp, type AppEnv, type ReadinessCheck } from '../../lib/service-app.js';
import { createAccounts } from './accounts.js';
import type { PasswordHasher } from './passwords.js';
import { registerUsersRoutes } from './routes.js';
import type { UserStore } from './store.js';
import type { TokenIssuer } from './tokens.js';

export interface UsersAppDeps {
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  store: UserStore;
  passwords: PasswordHasher;
  tokens: TokenIssuer;
  readiness?: Record<string, ReadinessCheck>;
}

export function createUsersApp({
  logger,
  metrics,
  serviceToken,
  store,
  passwords,
  tokens,
  readiness,
}: UsersAppDeps): Hono<AppEnv> {
  const app = createServiceApp({ logger, metrics, serviceToken, readiness: readiness ?? { postgres: store.ping } });
  const accounts = createAccounts({ store, passwords, tokens, logger });
  registerUsersRoutes(app, accounts, tokens, {
    outage: (error) => (isPostgresOutage(error) ? 'postgres' : undefined),
  });
  return app;
}
