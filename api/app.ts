import { OpenAPIHono } from '@hono/zod-openapi';
import { installProcessShell } from '../lib/process-shell.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import { notFound, validationProblem, zodIssues } from '../lib/problem.js';
import type { GatewayConfig } from './config.js';
import type { GatewayEnv } from './context.js';
import { toGatewayProblem } from './errors.js';
import { createGatewayLimits, type SharedLimitStore } from './rate-limits/gateway-limits.js';
import type { Clock } from './rate-limits/limiter.js';
import type { VerifyToken } from './middleware/auth.js';
import { bodyLimit } from './middleware/body-limit.js';
import { emptyQuery } from './middleware/empty-query.js';
import { jsonBody } from './middleware/json-body.js';
import { notFoundOrMethodNotAllowed } from './middleware/not-found.js';
import { clientIpResolver, rateLimit } from './rate-limits/per-ip.js';
import { securityHeaders } from './middleware/security-headers.js';
import { registerOpenApiDocument } from './openapi/document.js';
import { createOrderOperations } from './orders/operations.js';
import type { OrderWorkflows } from './orders/workflow-port.js';
import type { NotificationsClient } from './notifications-client.js';
import { registerAsyncApi } from './openapi/asyncapi.js';
import { cacheOrderQueries } from './orders/cached-workflows.js';
import { createLocalOrderEventHub, type OrderEventHub } from './orders/event-hub.js';
import { createStreamSlots } from './orders/stream-slots.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { registerOrderEventRoutes } from './routes/order-events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerCodecRoutes, type CodecRoutesDeps } from './routes/codec.js';
import { registerOperatorRoutes } from './routes/operator.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerProductRoutes } from './routes/products.js';
import { registerUserRoutes } from './routes/users.js';
import { registerStorefront } from './storefront.js';
import type { TaskQueueProbe } from './task-queue-probe.js';
import type { OrdersClient, ProductsClient, UsersClient } from './upstream.js';

export type GatewayAppConfig = Pick<
  GatewayConfig,
  | 'BODY_LIMIT_BYTES'
  | 'RATE_LIMIT_LOGIN_FAILURES'
  | 'RATE_LIMIT_IP_PER_MIN'
  | 'RATE_LIMIT_ORDERS_PER_MIN'
  | 'RATE_LIMIT_MAX_KEYS'
  | 'SSE_MAX_STREAMS_PER_CUSTOMER'
  | 'SSE_MAX_STREAMS'
  | 'CORS_ORIGINS'
  | 'ORDER_CANCEL_WINDOW_MS'
  | 'TRUST_PROXY'
  | 'TEMPORAL_UI_URL'
  | 'TEMPORAL_NAMESPACE'
  | 'SERVICE_TOKEN'
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
  /** The notifications service; without it /api/notifications is not served. */
  notifications?: NotificationsClient;
  /** Order events heard by this instance (RabbitMQ in production); without it, live streams only re-read. */
  orderEvents?: OrderEventHub;
  /** Live streams and cheap pending reads (defaults: 10 s keep-alive, 10 s fallback re-read, no query cache). */
  live?: { keepAliveMs: number; refreshMs: number; stateCacheMs: number };
  /** Milliseconds since the epoch; tests move time forward. */
  clock?: Clock;
  /** Overrides how the client address is found (tests have no socket). */
  clientIp?: ReturnType<typeof clientIpResolver>;
  /** The saga task queue's pollers and backlog for the operator view (Temporal DescribeTaskQueue). */
  taskQueue?: TaskQueueProbe;
  /** Redis shared by every replica (REDIS_URL); without it each process keeps its own limits. */
  limitStore?: SharedLimitStore;
  /** The payload codec server under /codec/* (Temporal Web UI, CLI); absent: not served. */
  codecServer?: Omit<CodecRoutesDeps, 'verifyToken'>;
}

/** The Web UI's origin; on a laptop both spellings of loopback, as the dev server prints `localhost`. */
function loopbackAliases(url: string): string[] {
  const { origin, hostname } = new URL(url);
  const other = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' }[hostname];
  return other ? [origin, origin.replace(hostname, other)] : [origin];
}

/** The gateway: the process shell, the public middleware on /api/*, the routes and their OpenAPI document. */
export function createGatewayApp(deps: GatewayDeps): OpenAPIHono<GatewayEnv> {
  const { config } = deps;
  const clock = deps.clock ?? Date.now;
  const live = deps.live ?? { keepAliveMs: 10_000, refreshMs: 10_000, stateCacheMs: 0 };
  const store = deps.limitStore;
  const app = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      // Every path parameter is an id: one that cannot exist names nothing, like an unknown one.
      if (result.target === 'param') throw notFound('No such resource');
      throw validationProblem(zodIssues(result.error));
    },
  });
  installProcessShell(app, {
    logger: deps.logger,
    metrics: deps.metrics,
    toProblem: toGatewayProblem,
    notFound: notFoundOrMethodNotAllowed(app),
    use: securityHeaders({ corsOrigins: config.CORS_ORIGINS, codecOrigins: loopbackAliases(config.TEMPORAL_UI_URL) }),
    readinessTimeoutMs: 2_500,
    clock,
    serviceToken: config.SERVICE_TOKEN,
    readiness: {
      temporal: () => deps.orderWorkflows.ping(),
      users: () => deps.users.ready(),
      products: () => deps.products.ready(),
      orders: () => deps.orders.ready(),
      ...(deps.notifications ? { notifications: deps.notifications.ready } : {}),
    },
    // Reported, never a 503: the gateway keeps serving without it (see createGatewayLimits).
    advisory: store ? { 'rate-limit-store': () => store.client.ping() } : {},
  });
  const limits = createGatewayLimits({ config, clock, logger: deps.logger, store });
  const clientIp = deps.clientIp ?? clientIpResolver(config.TRUST_PROXY);
  app.use('/api/*', rateLimit({ limiter: limits.perIp, clientIp }));
  app.use('/api/*', jsonBody());
  app.use('/api/*', emptyQuery());
  app.use('/api/*', bodyLimit({ maxBytes: config.BODY_LIMIT_BYTES }));
  app.use('/codec/*', bodyLimit({ maxBytes: config.BODY_LIMIT_BYTES }));

  registerHealthRoutes(app);
  registerOpenApiDocument(app);
  registerDocsRoutes(app);
  registerAsyncApi(app);
  registerUserRoutes(app, {
    users: deps.users,
    verifyToken: deps.verifyToken,
    loginAttempts: limits.loginAttempts,
  });
  registerProductRoutes(app, { products: deps.products, verifyToken: deps.verifyToken });
  const hub = deps.orderEvents ?? createLocalOrderEventHub();
  const operations = createOrderOperations({
    pushedState: hub.latestState,
    orders: deps.orders,
    workflows: cacheOrderQueries(deps.orderWorkflows, live.stateCacheMs),
    cancelWindowMs: config.ORDER_CANCEL_WINDOW_MS,
    takeOrderToken: (customerId) => limits.orders.take(customerId),
    now: () => new Date(clock()),
  });
  registerOrderRoutes(app, { operations, verifyToken: deps.verifyToken });
  registerAdminRoutes(app, { orders: deps.orders, verifyToken: deps.verifyToken });
  registerOperatorRoutes(app, {
    orders: deps.orders,
    verifyToken: deps.verifyToken,
    taskQueue: deps.taskQueue,
    now: () => new Date(clock()),
  });
  registerStorefront(app, { temporalUiUrl: config.TEMPORAL_UI_URL, temporalNamespace: config.TEMPORAL_NAMESPACE });

  registerOrderEventRoutes(app, {
    operations,
    verifyToken: deps.verifyToken,
    hub,
    slots: createStreamSlots({ perCustomer: config.SSE_MAX_STREAMS_PER_CUSTOMER, perGateway: config.SSE_MAX_STREAMS }),
    keepAliveMs: live.keepAliveMs,
    refreshMs: live.refreshMs,
  });
  if (deps.codecServer) registerCodecRoutes(app, { ...deps.codecServer, verifyToken: deps.verifyToken });
  if (deps.notifications) {
    registerNotificationRoutes(app, { notifications: deps.notifications, verifyToken: deps.verifyToken });
  }
  return app;
}
