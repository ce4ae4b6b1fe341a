import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

// Millisecond precision so the list cursor (a JS Date) compares exactly with stored values.
const millis = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();

/** Every event id this service has handled: a redelivery finds its id here and changes nothing. */
export const inbox = pgTable('inbox', {
  eventId: uuid('event_id').primaryKey(),
  type: text('type').notNull(),
  orderId: text('order_id').notNull(),
  receivedAt: millis('received_at'),
});

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: text('customer_id').notNull(),
    orderId: text('order_id').notNull(),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    eventId: uuid('event_id').notNull(),
    createdAt: millis('created_at'),
  },
  (t) => [
    // An order reaches one final status: one notification, whatever the broker redelivers.
    uniqueIndex('notifications_order_key').on(t.orderId),
    index('notifications_customer_created_idx').on(t.customerId, t.createdAt.desc(), t.id.desc()),
    check('notifications_type_check', sql`${t.type} in ('ORDER_CONFIRMED', 'ORDER_FAILED', 'ORDER_CANCELLED')`),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
