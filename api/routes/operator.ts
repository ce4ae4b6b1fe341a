import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Order } from '../../contracts/orders.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import { bearer, json, pick } from '../openapi/schemas.js';
import { summarizeOrders } from '../operator-summary.js';
import type { TaskQueueProbe } from '../task-queue-probe.js';
import type { OrdersClient } from '../upstream.js';

export interface OperatorRoutesDeps {
  orders: OrdersClient;
  verifyToken: VerifyToken;
  /** Absent when the gateway has no Temporal client to ask (tests with the in-memory double). */
  taskQueue?: TaskQueueProbe | undefined;
  now?: () => Date;
}

// Bounded: one operator request reads at most this many orders (newest first).
const PAGE = 100;
const MAX_PAGES = 20;

const Counts = z.object({ CONFIRMED: z.number(), FAILED: z.number(), CANCELLED: z.number(), PENDING: z.number() });
const QueueType = z.object({ pollers: z.number(), backlog: z.number(), addRate: z.number(), dispatchRate: z.number() });
const OperatorView = z.object({
  generatedAt: z.string(),
  orders: z.object({
    windowMinutes: z.number(),
    perMinute: z.array(Counts.extend({ minute: z.string() })),
    totals: Counts,
    latencyMs: z
      .object({ count: z.number(), p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() })
      .nullable(),
    latencyPerMinute: z.array(
      z.object({
        minute: z.string(),
        count: z.number(),
        p50: z.number().nullable(),
        p95: z.number().nullable(),
        p99: z.number().nullable(),
      }),
    ),
    steps: z.array(z.object({ name: z.string(), failed: z.number(), compensated: z.number() })),
    failureReasons: z.record(z.string(), z.number()),
    scanned: z.number(),
    truncated: z.boolean(),
  }),
  taskQueue: z.object({ name: z.string(), workflow: QueueType, activity: QueueType }).nullable(),
  taskQueueError: z.string().nullable(),
});

const view = createRoute({
  method: 'get',
  path: '/api/admin/operator',
  tags: ['admin'],
  summary: 'Operator view (admin): orders per minute by outcome, saga latency per minute, step failures, task queue',
  description:
    'Read from the system itself: the newest orders (at most 2,000) of the last `windowMinutes`, and ' +
    "Temporal's DescribeTaskQueue for the saga task queue. Readiness of each dependency is `GET /readyz`.",
  security: bearer,
  request: { query: z.object({ windowMinutes: z.coerce.number().int().min(1).max(60).default(10) }) },
  responses: { 200: json(OperatorView, 'The current figures'), ...pick(400, 401, 403, 429, 503) },
});

export function registerOperatorRoutes(app: OpenAPIHono<GatewayEnv>, deps: OperatorRoutesDeps): void {
  const now = deps.now ?? (() => new Date());
  app.openapi({ ...view, middleware: authenticate(deps.verifyToken, ['admin']) }, async (c) => {
    const { windowMinutes } = c.req.valid('query');
    const at = now();
    const since = at.getTime() - windowMinutes * 60_000;
    const [recent, queue] = await Promise.all([
      recentOrders(deps.orders, since, c.get('requestId')),
      describeQueue(deps.taskQueue),
    ]);
    return c.json(
      {
        generatedAt: at.toISOString(),
        orders: { ...summarizeOrders(recent.orders, at, windowMinutes), ...recent.scan },
        ...queue,
      },
      200,
    );
  });
}

async function recentOrders(orders: OrdersClient, since: number, requestId: string) {
  const found: Order[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await orders.list({ limit: PAGE, cursor }, requestId);
    found.push(...page.items);
    const oldest = page.items.at(-1);
    if (!page.nextCursor || !oldest || Date.parse(oldest.createdAt) < since) {
      return { orders: found, scan: { scanned: found.length, truncated: false } };
    }
    cursor = page.nextCursor;
  }
  return { orders: found, scan: { scanned: found.length, truncated: true } };
}

async function describeQueue(probe: TaskQueueProbe | undefined) {
  if (!probe) return { taskQueue: null, taskQueueError: 'This gateway has no Temporal client to ask.' };
  try {
    return { taskQueue: await probe(), taskQueueError: null };
  } catch (error) {
    return { taskQueue: null, taskQueueError: (error as Error).message };
  }
}
