import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import { preparedStatements } from '../../../lib/pg.js';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { OrderEvent, OrderEventType } from '../../../contracts/events.js';
import type { OrderStatus } from '../../../contracts/orders.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { TEST_SERVICE_TOKEN } from '../../../test/support/constants.js';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { createNotificationsApp } from '../app.js';
import { migrate } from '../migrations.js';
import { createNotificationStore, type NotificationStore } from '../store.js';

export const auth = { authorization: `Bearer ${TEST_SERVICE_TOKEN}` };

export interface Harness {
  url: string;
  sql: postgres.Sql;
  store: NotificationStore;
  app: ReturnType<typeof createNotificationsApp>;
  close: () => Promise<void>;
}

/** The real notifications app over a throwaway, migrated database. */
export async function createHarness(label: string): Promise<Harness> {
  const url = await createTestDatabase(inject('postgresUrl'), inject('runId'), label);
  await migrate(url);
  const sql = postgres(url, { max: 5, onnotice: () => {} });
  const store = createNotificationStore(drizzle(preparedStatements(sql)));
  const app = createNotificationsApp({
    logger: createLogger('notifications', 'silent'),
    metrics: createMetrics('notifications', false),
    serviceToken: TEST_SERVICE_TOKEN,
    store,
  });
  return { url, sql, store, app, close: () => sql.end({ timeout: 5 }) };
}

const statusOf: Record<OrderEventType, OrderStatus> = {
  'order.placed': 'PENDING',
  'order.confirmed': 'CONFIRMED',
  'order.failed': 'FAILED',
  'order.cancelled': 'CANCELLED',
};

/** A valid event of the contract for tests. */
export function orderEvent(type: OrderEventType, orderId: string, customerId = 'customer-1'): OrderEvent {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    orderId,
    customerId,
    data: {
      status: statusOf[type],
      failureReason: type === 'order.failed' ? 'PAYMENT_DECLINED' : null,
      totalCents: 2500,
      currency: 'USD',
      items: [{ productId: 'p-1', name: 'Teapot', quantity: 2, unitPriceCents: 1250 }],
    },
  } as OrderEvent;
}
