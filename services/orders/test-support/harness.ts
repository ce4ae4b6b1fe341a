import { drizzle } from 'drizzle-orm/postgres-js';
import { preparedStatements } from '../../../lib/pg.js';
import type { Hono } from 'hono';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { CreateOrderRequest } from '../../../contracts/orders.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import type { AppEnv } from '../../../lib/service-app.js';
import { TEST_SERVICE_TOKEN } from '../../../test/support/constants.js';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { createOrdersApp } from '../app.js';
import { migrate } from '../migrations.js';
import { createSimulatedProvider, PaymentProviderUnavailableError, type PaymentProvider } from '../payment-provider.js';

// Tests assert on response bodies of many shapes; zod-parse where the shape itself is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResponseBody = any;

export interface OrdersHarness {
  app: Hono<AppEnv>;
  sql: postgres.Sql;
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: ResponseBody }>;
  close: () => Promise<void>;
}

/** The real app on a throwaway, migrated PostgreSQL database (test files only: uses inject). */
export async function createOrdersHarness(
  label: string,
  provider: PaymentProvider = createSimulatedProvider(),
  { poolSize = 20, providerTimeoutMs }: { poolSize?: number; providerTimeoutMs?: number } = {},
): Promise<OrdersHarness> {
  const url = await createTestDatabase(inject('postgresUrl'), inject('runId'), label);
  await migrate(url);
  const sql = postgres(url, { max: poolSize, onnotice: () => {} });
  const app = createOrdersApp({
    ...(providerTimeoutMs === undefined ? {} : { providerTimeoutMs }),
    db: drizzle(preparedStatements(sql)),
    provider,
    logger: createLogger('orders-test', 'silent'),
    metrics: createMetrics('orders', false),
    serviceToken: TEST_SERVICE_TOKEN,
  });
  const call: OrdersHarness['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const response = await app.request(path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { app, sql, call, close: () => sql.end({ timeout: 5 }) };
}

let sequence = 0;
export const uniqueId = (prefix = 'ord') =>
  `${prefix}_${Date.now().toString(36)}_${(sequence++).toString(36).padStart(6, '0')}`;

/** A priced order: 2 × 1250 + 1 × 500 = 3000 cents. */
export function pricedOrder(overrides: Partial<CreateOrderRequest> = {}): Record<string, unknown> {
  return {
    customerId: 'cus_1',
    items: [
      { productId: 'p_1', name: 'Mug', quantity: 2, unitPriceCents: 1250 },
      { productId: 'p_2', name: 'Tea', quantity: 1, unitPriceCents: 500 },
    ],
    paymentMethod: 'tok_visa',
    workflowId: 'wf_1',
    ...overrides,
  };
}

export type ProviderCall = keyof PaymentProvider;

export interface ProbedProvider extends PaymentProvider {
  calls: Record<ProviderCall, number>;
  /** Makes the next `count` calls of `operation` fail as an outage. */
  failNext(operation: ProviderCall, count: number): void;
}

/** Wraps a provider to count calls, inject outages, and widen race windows with a delay. */
export function probeProvider(inner: PaymentProvider = createSimulatedProvider(), delayMs = 15): ProbedProvider {
  const calls: Record<ProviderCall, number> = { authorize: 0, capture: 0, void: 0, refund: 0 };
  const failures: Record<ProviderCall, number> = { authorize: 0, capture: 0, void: 0, refund: 0 };
  const wrap =
    <A, R>(operation: ProviderCall, fn: (arg: A) => Promise<R>) =>
    async (arg: A): Promise<R> => {
      calls[operation] += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failures[operation] > 0) {
        failures[operation] -= 1;
        throw new PaymentProviderUnavailableError('simulated outage');
      }
      return fn(arg);
    };
  return {
    calls,
    failNext: (operation, count) => void (failures[operation] = count),
    authorize: wrap('authorize', (charge) => inner.authorize(charge)),
    capture: wrap('capture', (op) => inner.capture(op)),
    void: wrap('void', (op) => inner.void(op)),
    refund: wrap('refund', (op) => inner.refund(op)),
  };
}
