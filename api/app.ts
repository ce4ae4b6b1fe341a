import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { ErrorCode } from '../contracts/problem.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import { ProblemError, problemResponse, validationProblem, zodIssues } from '../lib/problem.js';
import type { VerifyToken } from './auth.js';
import type { GatewayConfig } from './config.js';
import { registerDocs } from './docs.js';
import type { GatewayEnv } from './env.js';
import { gatewayErrorHandler } from './errors.js';
import {
  clientIpResolver,
  ipRateLimit,
  notFoundOrMethodNotAllowed,
  requestContext,
  assumeJsonBody,
  dropEmptyQueryValues,
} from './frame.js';
import { registerHealth } from './health.js';
import type { OrderWorkflows } from './order-workflows.js';
import { createOrderOperations } from './orders.js';
import { createFailureWindow, createTokenBuckets, type Clock } from './rate-limit.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerProductRoutes } from './routes/products.js';
import { registerUserRoutes } from './routes/users.js';
import type { OrdersClient, ProductsClient, UsersClient } from './upstream.js';

export type GatewayAppConfig = Pick<
  GatewayConfig,
  | 'BODY_LIMIT_BYTES'
  | 'RATE_LIMIT_LOGIN_FAILURES'
  | 'RATE_LIMIT_IP_PER_MIN'
  | 'RATE_LIMIT_ORDERS_PER_MIN'
  | 'CORS_ORIGINS'
  | 'ORDER_CANCEL_WINDOW_MS'
  | 'TRUST_PROXY'
>;

export interface GatewayDeps {
  config: GatewayAppConfig;
  logger: Logger;
  metrics: Metrics;
  users: UsersClient;
  products: ProductsClient;
  orders: OrdersClient;
  orderWorkflows: OrderWorkflows;
  verifyToken: VerifyToken;
  /** Milliseconds since the epoch; tests move time forward. */
  clock?: Clock;
  /** Overrides how the client address is found (tests have no socket). */
  clientIp?: Parameters<typeof ipRateLimit>[1];
}

const MINUTE = 60_000;

export function createGatewayApp(deps: GatewayDeps): OpenAPIHono<GatewayEnv> {
  const { config, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const app = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(zodIssues(result.error));
    },
  });
  app.onError(gatewayErrorHandler(logger));
  app.notFound(notFoundOrMethodNotAllowed(app));
  app.use(requestContext(logger));
  app.use(deps.metrics.middleware);
  app.use(secureHeaders());
  if (config.CORS_ORIGINS.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
        exposeHeaders: ['X-Request-Id', 'Location', 'Retry-After'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '/api/*',
    ipRateLimit(
      createTokenBuckets(config.RATE_LIMIT_IP_PER_MIN, MINUTE, clock),
      deps.clientIp ?? clientIpResolver(config.TRUST_PROXY),
    ),
  );
  app.use('/api/*', assumeJsonBody());
  app.use('/api/*', dropEmptyQueryValues());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.BODY_LIMIT_BYTES,
      onError: (c) =>
        problemResponse(
          c,
          new ProblemError(
            413,
            ErrorCode.PAYLOAD_TOO_LARGE,
            `The request body exceeds ${config.BODY_LIMIT_BYTES} bytes`,
          ),
        ),
    }),
  );

  registerHealth(app, deps.metrics, {
    temporal: () => deps.orderWorkflows.ping(),
    users: () => deps.users.ready(),
    products: () => deps.products.ready(),
    orders: () => deps.orders.ready(),
  });
  registerDocs(app);
  registerUserRoutes(app, {
    users: deps.users,
    verifyToken: deps.verifyToken,
    loginFailures: createFailureWindow(config.RATE_LIMIT_LOGIN_FAILURES, 15 * MINUTE, clock),
  });
  registerProductRoutes(app, { products: deps.products, verifyToken: deps.verifyToken });
  const orderTokens = createTokenBuckets(config.RATE_LIMIT_ORDERS_PER_MIN, MINUTE, clock);
  const operations = createOrderOperations({
    orders: deps.orders,
    workflows: deps.orderWorkflows,
    cancelWindowMs: config.ORDER_CANCEL_WINDOW_MS,
    takeOrderToken: (customerId) => orderTokens.take(customerId),
    now: () => new Date(clock()),
  });
  registerOrderRoutes(app, { operations, verifyToken: deps.verifyToken });
  return app;
}
