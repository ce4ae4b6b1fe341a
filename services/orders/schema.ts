import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { OrderItem, Step } from '../../contracts/orders.js';

// Millisecond precision so the list cursor (a JS Date) compares exactly with stored values.
const millis = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();
const optionalMillis = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: text('status').notNull().default('PENDING'),
    failureReason: text('failure_reason'),
    items: jsonb('items').$type<OrderItem[]>().notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').notNull(),
    workflowId: text('workflow_id').notNull(),
    steps: jsonb('steps').$type<Step[]>().notNull().default([]),
    createdAt: millis('created_at'),
    updatedAt: millis('updated_at'),
    /** A customer's cancel, recorded before the saga hears of it (services/orders/cancel-requests.ts). */
    cancelRequestedAt: optionalMillis('cancel_requested_at'),
    /** Set by the saga just before capture: from then on no cancel is accepted. */
    pointOfNoReturnAt: optionalMillis('point_of_no_return_at'),
    /** Set by the saga when a refusal (decline, sold out…) decided its outcome: from then on no cancel is accepted. */
    decidedFailureReason: text('decided_failure_reason'),
  },
  (t) => [
    check('orders_status_check', sql`${t.status} in ('PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED')`),
    check('orders_failure_reason_check', sql`(${t.status} = 'FAILED') = (${t.failureReason} is not null)`),
    index('orders_customer_created_idx').on(t.customerId, t.createdAt.desc(), t.id.desc()),
    index('orders_created_idx').on(t.createdAt.desc(), t.id.desc()),
    check('orders_cancel_or_commit_check', sql`${t.cancelRequestedAt} is null or ${t.pointOfNoReturnAt} is null`),
    check('orders_cancel_or_failure_check', sql`${t.cancelRequestedAt} is null or ${t.decidedFailureReason} is null`),
    index('orders_pending_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'PENDING'`),
    // A customer's unconfirmed orders, summed before each new one (held-units.ts).
    index('orders_customer_pending_idx')
      .on(t.customerId)
      .where(sql`${t.status} = 'PENDING'`),
  ],
);

export const orderStatusHistory = pgTable(
  'order_status_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    failureReason: text('failure_reason'),
    at: millis('at'),
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId)],
);

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    // One payment per order.
    orderId: text('order_id')
      .notNull()
      .unique()
      .references(() => orders.id),
    status: text('status').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').notNull(),
    providerReference: text('provider_reference'),
    declineCode: text('decline_code'),
    // The key of the authorize that created the row: its retries resume a 'pending' authorization.
    authorizeKey: text('authorize_key'),
    // A capture/void/refund whose provider call is under way (outside any transaction), or null.
    inFlight: text('in_flight'),
    inFlightKey: text('in_flight_key'),
    // When the claim was taken: one older than the claim timeout is settled by asking the provider (payment-claims.ts).
    inFlightAt: optionalMillis('in_flight_at'),
    createdAt: millis('created_at'),
    updatedAt: millis('updated_at'),
  },
  (t) => [
    check(
      'payments_status_check',
      sql`${t.status} in ('pending', 'authorized', 'captured', 'voided', 'refunded', 'declined')`,
    ),
    check('payments_in_flight_check', sql`(${t.inFlight} is null) = (${t.inFlightAt} is null)`),
    index('payments_in_flight_at_idx')
      .on(t.inFlightAt)
      .where(sql`${t.inFlight} is not null`),
  ],
);

/** Stored outcomes of payment calls, keyed by operation + order + Idempotency-Key. */
export const idempotencyKeys = pgTable(
  'payment_idempotency_keys',
  {
    operation: text('operation').notNull(),
    orderId: text('order_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: millis('created_at'),
  },
  (t) => [primaryKey({ columns: [t.operation, t.orderId, t.key] })],
);

/**
 * Transactional outbox: each order event is written in the transaction of the change it announces,
 * then published to `orders.events` by the relay, which sets `sent_at` once the broker confirmed it.
 */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: millis('occurred_at'),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // At most one order.placed and one final event per order, whatever retries the saga makes.
    uniqueIndex('outbox_order_kind_key').on(t.orderId, sql`(${t.type} = 'order.placed')`),
    index('outbox_unsent_idx')
      .on(t.orderId, t.seq)
      .where(sql`${t.sentAt} is null`),
    // The relay prunes sent events older than the retention by this range.
    index('outbox_sent_at_idx')
      .on(t.sentAt)
      .where(sql`${t.sentAt} is not null`),
  ],
);

/**
 * Units an order is about to hold, claimed under the customer's lock before its saga starts
 * (services/orders/held-units.ts); a claim stops counting once its order is recorded, or after a minute.
 */
export const heldUnitClaims = pgTable(
  'held_unit_claims',
  {
    orderId: text('order_id').primaryKey(),
    customerId: text('customer_id').notNull(),
    units: integer('units').notNull(),
    claimedAt: millis('claimed_at'),
  },
  (t) => [index('held_unit_claims_customer_idx').on(t.customerId)],
);
