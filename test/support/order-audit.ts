import type { NotificationPage } from '../../contracts/notifications.js';
import { ordersApi } from '../../contracts/orders-api.js';
import { FinalStatuses, type Order, type OrderStatus, type Payment } from '../../contracts/orders.js';
import type { Reservation } from '../../contracts/products.js';
import { productsApi } from '../../contracts/products-api.js';
import { createContractClient as createServiceApi } from '../../lib/contract-client.js';
import { createServiceTransport, ServiceRejectedError } from '../../lib/service-transport.js';
import { waitFor } from '../../scripts/processes.js';
import type { GatewayClient } from './api.js';

/** Everything the system says about one order once it should be settled: record, money, stock, notification. */
export interface OrderAudit {
  status: OrderStatus;
  totalCents: number | null;
  payment: Pick<Payment, 'status' | 'amountCents'> | null;
  /** The product's available stock, and the units this order's reservation committed (0 unless committed). */
  stock: number;
  committed: number;
  reservation: Reservation['status'] | null;
  notifications: string[];
  /** The record's steps, `name:status` (for reading a failure). */
  steps: string;
}

export interface AuditTarget {
  orderId: string;
  productId: string;
  token: string;
}

const notFoundAsNull = async <T>(read: () => Promise<T>): Promise<T | null> => {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ServiceRejectedError && error.status === 404) return null;
    throw error;
  }
};

/** Reads an order's record through the gateway (as its customer) and its money and stock from the services. */
export function createOrderAuditor(deps: {
  api: GatewayClient;
  urls: { orders: string; products: string };
  token: string;
}) {
  const service = (baseUrl: string) => createServiceTransport({ service: 'test', baseUrl, token: deps.token });
  const orders = createServiceApi(ordersApi, service(deps.urls.orders));
  const products = createServiceApi(productsApi, service(deps.urls.products));

  const record = (id: string) => orders.get({ params: { id } });

  /** Waits (up to `timeoutMs`) for the order to be final; a PENDING order after that is a finding, not an error. */
  async function settle(orderId: string, timeoutMs: number): Promise<void> {
    await waitFor(
      `order ${orderId} final`,
      async () => FinalStatuses.includes((await record(orderId)).status),
      timeoutMs,
      250,
    ).catch(() => undefined);
  }

  async function notificationsOf({ orderId, token }: AuditTarget, final: boolean): Promise<string[]> {
    const read = async () => {
      const page = await deps.api.request<NotificationPage>('GET', '/api/notifications?limit=100', { token });
      return page.body.items.filter((item) => item.orderId === orderId).map((item) => item.type);
    };
    // Events go through the outbox and the broker: give a final order's notification time to arrive.
    if (final)
      await waitFor(`notification of ${orderId}`, async () => (await read()).length > 0, 20_000, 250).catch(() => {});
    return read();
  }

  async function audit(target: AuditTarget): Promise<OrderAudit> {
    const { orderId, productId, token } = target;
    const view = await deps.api.request<Order>('GET', `/api/orders/${orderId}`, { token });
    if (view.status !== 200) throw new Error(`GET order ${orderId}: ${view.status} ${JSON.stringify(view.body)}`);
    const [payment, reservation, product] = await Promise.all([
      notFoundAsNull(() => orders.getPayment({ params: { orderId } })),
      notFoundAsNull(() => products.getReservation({ params: { orderId } })),
      deps.api.getProduct(productId),
    ]);
    const committed = reservation?.status === 'committed' ? reservation.lines.reduce((n, l) => n + l.quantity, 0) : 0;
    return {
      status: view.body.status,
      totalCents: view.body.totalCents,
      payment: payment && { status: payment.status, amountCents: payment.amountCents },
      stock: product.stock,
      committed,
      reservation: reservation?.status ?? null,
      notifications: await notificationsOf(target, FinalStatuses.includes(view.body.status)),
      steps: view.body.steps.map((step) => `${step.name}:${step.status}`).join(' '),
    };
  }

  return { settle, audit, record };
}

/**
 * The invariants every order must meet whatever an operator did: final; stock conserved (available +
 * committed = initial, nothing left held, the order's units committed exactly when it is CONFIRMED);
 * money conserved (CONFIRMED: one captured payment of the total; else nothing captured or left
 * authorized); exactly one notification, naming the final status.
 */
export function auditViolations(audit: OrderAudit, initialStock: number, units: number): string[] {
  const found: string[] = [];
  const confirmed = audit.status === 'CONFIRMED';
  if (!FinalStatuses.includes(audit.status)) found.push(`not final: ${audit.status}`);
  if (audit.stock + audit.committed !== initialStock || audit.reservation === 'held')
    found.push(
      `stock: ${audit.stock} available + ${audit.committed} committed ≠ ${initialStock} (${audit.reservation})`,
    );
  if (audit.committed !== (confirmed ? units : 0))
    found.push(`stock: ${audit.committed} units sold, order ${audit.status}`);
  const paid = audit.payment?.status;
  if (confirmed) {
    if (paid !== 'captured' || audit.payment?.amountCents !== audit.totalCents)
      found.push(`money: CONFIRMED with payment ${paid} ${audit.payment?.amountCents} (total ${audit.totalCents})`);
  } else if (paid !== undefined && paid !== 'voided' && paid !== 'declined') {
    found.push(`money: ${audit.status} with payment ${paid}`);
  }
  const expected = FinalStatuses.includes(audit.status) ? [`ORDER_${audit.status}`] : [];
  if (audit.notifications.join() !== expected.join())
    found.push(`notifications: [${audit.notifications.join(', ')}], expected [${expected.join(', ')}]`);
  return found;
}
