import { SHOP_CURRENCY } from '../../contracts/common.js';
import { randomUUID } from 'node:crypto';
import { WORKFLOW_TYPE, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';
import { FinalStatuses, type Order, type PlaceOrderRequest } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import type { Ctx } from '../context.js';
import { createCancel } from './cancel.js';
import { canSee, orderNotFound, recordOrder } from './order-records.js';
import { deriveOrderId, requestHash } from './idempotency.js';
import type { OrderMemo, OrderWorkflowDescription, OrderWorkflows } from './workflow-port.js';
import { orderFromRecordAndState, orderFromWorkflow } from './views.js';
import { createPendingRecords } from './pending-records.js';
import { rateLimited } from '../rate-limits/limiter.js';
import type { OrdersClient } from '../upstream.js';

export interface OrderOperationsDeps {
  orders: OrdersClient;
  workflows: OrderWorkflows;
  cancelWindowMs: number;
  /** Seconds to wait, 0 when the customer may place another order now. */
  takeOrderToken: (customerId: string) => Promise<number>;
  now: () => Date;
  queryTimeoutMs?: number;
  /** The saga's state as last pushed to this gateway (event-hub.ts); a read finds it there before asking Temporal. */
  pushedState?: (orderId: string) => OrderSagaState | undefined;
  /** How long a cancel waits for the saga to finish before answering with the PENDING order (default 2 s). */
  cancelSettleMs?: number;
}

/**
 * A saga pushes its first state from its first workflow task, and a query waits for that task to end (with
 * every call local first, often the whole order): a record younger than this is answered as it is instead.
 */
const FIRST_PUSH_WAIT_MS = 2_000;

const keyReused = () =>
  new ProblemError(
    422,
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    'This Idempotency-Key was already used with a different request body',
  );

export function createOrderOperations(deps: OrderOperationsDeps) {
  const { orders, workflows, now } = deps;
  const queryTimeoutMs = deps.queryTimeoutMs ?? 3_000;
  const cancel = createCancel({ orders, workflows, now, settleMs: deps.cancelSettleMs ?? 2_000 });
  const pending = createPendingRecords();

  async function liveState(id: string, ctx: Ctx, placedAt?: string): Promise<OrderSagaState | undefined> {
    const pushed = deps.pushedState?.(id);
    if (pushed) return pushed;
    if (placedAt && now().getTime() - Date.parse(placedAt) < FIRST_PUSH_WAIT_MS) return undefined;
    try {
      return await workflows.query(id, queryTimeoutMs);
    } catch (error) {
      ctx.log.warn({ orderId: id, err: (error as Error).message }, 'order state query failed; answering without it');
      return undefined;
    }
  }

  async function describeOwn(id: string, ctx: Ctx): Promise<OrderWorkflowDescription> {
    const description = await workflows.describe(id);
    if (!description || description.workflowType !== WORKFLOW_TYPE || !canSee(ctx.caller, description.customerId))
      throw orderNotFound(id);
    return description;
  }

  /** The order record, refreshed with the saga's live state while it runs; before the record exists, the saga's own view. */
  async function get(id: string, ctx: Ctx): Promise<Order> {
    const pushed = deps.pushedState?.(id);
    const known = pushed && pending.get(id);
    if (known) {
      if (!canSee(ctx.caller, known.customerId)) throw orderNotFound(id);
      return orderFromRecordAndState(known, pushed);
    }
    const record = await orders.get(id, ctx.requestId);
    if (record) {
      if (!canSee(ctx.caller, record.customerId)) throw orderNotFound(id);
      if (FinalStatuses.includes(record.status)) {
        pending.forget(id);
        return record;
      }
      pending.remember(record);
      const state = await liveState(id, ctx, record.createdAt);
      return state ? orderFromRecordAndState(record, state) : record;
    }
    const description = await describeOwn(id, ctx);
    return orderFromWorkflow(id, description, await liveState(id, ctx), now());
  }

  async function place(
    body: PlaceOrderRequest,
    idempotencyKey: string | undefined,
    ctx: Ctx,
  ): Promise<{ status: 200 | 202; order: Order }> {
    const customerId = ctx.caller.sub;
    const orderId = deriveOrderId(customerId, idempotencyKey);
    const hash = requestHash({ customerId, ...body });
    if (idempotencyKey !== undefined) {
      const recorded = await orders.get(orderId, ctx.requestId);
      // A replay places nothing, so it never spends (or is refused by) the order budget.
      if (recorded) return { status: 200, order: await answerFromRecord(recorded, hash, ctx) };
    }
    const wait = await deps.takeOrderToken(customerId);
    if (wait > 0) throw rateLimited(wait, 'Too many orders placed; slow down');
    const units = body.items.reduce((sum, item) => sum + item.quantity, 0);
    await holdUnits(orderId, customerId, units, ctx);
    const createdAt = now().toISOString();
    const memo: OrderMemo = {
      requestHash: hash,
      nonce: randomUUID(),
      customerId,
      paymentMethod: body.paymentMethod,
      items: body.items,
      createdAt,
    };
    const input: PlaceOrderInput = {
      orderId,
      customerId,
      items: body.items,
      paymentMethod: body.paymentMethod,
      currency: SHOP_CURRENCY,
      cancelWindowMs: deps.cancelWindowMs,
      requestId: ctx.requestId,
      requestHash: hash,
      createdAt,
    };
    // The summary is encrypted like every payload; it still names nothing about the customer.
    const created = await workflows.start(input, memo, `Order ${orderId} — ${units} item${units === 1 ? '' : 's'}`);
    // Only a key that already named a saga needs its memo: a retried start of ours, or another request.
    if (!created) {
      const existing = await workflows.describe(orderId);
      if (!existing)
        throw new ProblemError(503, ErrorCode.SERVICE_UNAVAILABLE, 'The order workflow could not be found after start');
      if (existing.memo.nonce !== memo.nonce) {
        if (existing.memo.requestHash !== hash) throw keyReused();
        return { status: 200, order: await get(orderId, ctx) };
      }
    }
    ctx.log.info({ orderId, customerId, lines: body.items.length }, 'order placed');
    const placed = orderFromWorkflow(orderId, { memo, startTime: new Date(createdAt), customerId }, undefined, now());
    await recordPlaced(placed, ctx);
    return { status: 202, order: placed };
  }

  /**
   * A key that already named an order answers from its record, which outlives the workflow
   * (retention): the record's customer, lines and payment method are the request it came from.
   */
  async function answerFromRecord(record: Order, hash: string, ctx: Ctx): Promise<Order> {
    const { customerId, items, paymentMethod } = record;
    if (requestHash({ customerId, items, paymentMethod }) !== hash) throw keyReused();
    if (FinalStatuses.includes(record.status)) return record;
    const state = await liveState(record.id, ctx, record.createdAt);
    return state ? orderFromRecordAndState(record, state) : record;
  }

  /** The customer's cap on units held by unconfirmed orders (429 RATE_LIMITED); open while orders is down. */
  async function holdUnits(orderId: string, customerId: string, units: number, ctx: Ctx): Promise<void> {
    try {
      await orders.holdUnits(orderId, { customerId, units }, ctx.requestId);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      ctx.log.warn({ orderId, err: error.message }, 'held-units cap not checked: the orders service is unavailable');
    }
  }

  /**
   * Records the order at once so it is listed from the moment it is accepted. Best effort: when the
   * orders service is down the saga creates the record itself (the same idempotent create).
   */
  async function recordPlaced(order: Order, ctx: Ctx): Promise<void> {
    try {
      pending.remember(await recordOrder(orders, order, ctx));
    } catch (error) {
      ctx.log.warn({ orderId: order.id, err: (error as Error).message }, 'order record deferred to the saga');
    }
  }

  async function list(query: { limit: number; cursor?: string | undefined }, ctx: Ctx) {
    return orders.list({ customerId: ctx.caller.sub, limit: query.limit, cursor: query.cursor }, ctx.requestId);
  }

  return { place, get, cancel, list };
}

export type OrderOperations = ReturnType<typeof createOrderOperations>;
