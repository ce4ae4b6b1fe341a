import { z } from 'zod';
import type { CreateOrderRequest, FailureReason, Order, OrderItem, OrderStatus } from '../../contracts/orders.js';
import { ProblemError, validationProblem } from '../../lib/problem.js';
import { ErrorCode } from '../../contracts/problem.js';
import type { orders } from './schema.js';

export type OrderRow = typeof orders.$inferSelect;

/** A fixed key order so stored (jsonb) and requested items compare as strings. */
export function normalizeItems(items: readonly OrderItem[]): OrderItem[] {
  return items.map(({ productId, name, quantity, unitPriceCents }) => ({ productId, name, quantity, unitPriceCents }));
}

/** Sum of quantity × unit price; null while any line is unpriced. */
export function computeTotalCents(items: readonly OrderItem[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item.unitPriceCents === null) return null;
    total += item.quantity * item.unitPriceCents;
  }
  if (!Number.isSafeInteger(total))
    throw validationProblem([{ path: 'items', message: 'order total is out of range' }]);
  return total;
}

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status as OrderStatus,
    failureReason: row.failureReason as FailureReason | null,
    items: normalizeItems(row.items),
    totalCents: row.totalCents,
    currency: row.currency,
    paymentMethod: row.paymentMethod,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    workflowId: row.workflowId,
    steps: row.steps,
  };
}

export type ContentMatch = 'same' | 'prices-added' | 'conflict';

/**
 * How a create request compares with the stored order (steps are progress, not content). The gateway
 * records an order unpriced the moment it is placed; the saga then sends the same lines priced from
 * the catalog, which fills the prices in. Any other difference is a conflict.
 */
export function compareContent(row: OrderRow, request: CreateOrderRequest): ContentMatch {
  const header =
    row.customerId === request.customerId &&
    row.currency === request.currency &&
    row.paymentMethod === request.paymentMethod &&
    row.workflowId === request.workflowId &&
    row.items.length === request.items.length;
  if (!header) return 'conflict';
  let match: ContentMatch = 'same';
  for (const [i, stored] of row.items.entries()) {
    const asked = request.items[i]!;
    if (stored.productId !== asked.productId || stored.quantity !== asked.quantity) return 'conflict';
    if (asked.unitPriceCents === null) continue;
    if (stored.unitPriceCents === null) match = 'prices-added';
    else if (stored.unitPriceCents !== asked.unitPriceCents || stored.name !== asked.name) return 'conflict';
  }
  return match;
}

export interface ListCursor {
  createdAt: string;
  id: string;
}

const CursorPayload = z.tuple([z.iso.datetime(), z.string().min(1)]);

export function encodeCursor(row: Pick<OrderRow, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListCursor {
  try {
    const [createdAt, id] = CursorPayload.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw validationProblem([{ path: 'cursor', message: 'invalid cursor' }]);
  }
}

export const illegalTransition = (detail: string) => new ProblemError(409, ErrorCode.ILLEGAL_TRANSITION, detail);
