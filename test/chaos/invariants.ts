import { ListOrdersResponse, Payment, type Order } from '../../contracts/orders.js';
import { Product, Reservation } from '../../contracts/products.js';
import { createServiceTransport, ServiceRejectedError } from '../../lib/service-transport.js';
import type { PlacedOrder } from './customers.js';

/** What the services hold once the faults have stopped, read over their internal APIs. */
export interface Snapshot {
  /** Every order the orders service holds for the chaos customers. */
  orders: Order[];
  payments: Map<string, Payment>;
  reservations: Map<string, Reservation>;
  /** Stock now, by product id, and what each product started with. Units held by reservations count as stock. */
  stock: Map<string, { initial: number; available: number }>;
}

export const INVARIANTS = [
  'accepted order not final in time',
  'idempotency key with more than one order',
  'stock not conserved',
  'confirmed order without exactly its captured payment',
  'failed or cancelled order holding money',
  'reservation held by a final order',
] as const;
export type Invariant = (typeof INVARIANTS)[number];
export type Violations = Record<Invariant, string[]>;

/** The invariants, each violation named by the order or product that breaks it. */
export function checkInvariants(placed: PlacedOrder[], snapshot: Snapshot, finalInTime: Set<string>): Violations {
  const v = Object.fromEntries(INVARIANTS.map((name) => [name, [] as string[]])) as Violations;
  const byId = new Map(snapshot.orders.map((o) => [o.id, o]));
  const acceptedIds = new Set<string>();
  for (const order of placed) {
    if (order.orderIds.size > 1 || order.outcome === 422) {
      v['idempotency key with more than one order'].push(`${order.key}: ${[...order.orderIds].join(', ')}`);
    }
    for (const id of order.orderIds) {
      acceptedIds.add(id);
      if (!finalInTime.has(id))
        v['accepted order not final in time'].push(`${id} (${byId.get(id)?.status ?? 'missing'})`);
    }
  }
  // Every key names one order: the service holds no order beyond those a key was answered with or gave up on.
  const unanswered = placed.filter((p) => p.orderIds.size === 0).length;
  const extra = snapshot.orders.filter((o) => !acceptedIds.has(o.id));
  if (extra.length > unanswered) {
    v['idempotency key with more than one order'].push(`${extra.length} orders for ${unanswered} unanswered keys`);
  }
  const units = (lines: { productId: string; quantity: number }[], productId: string) =>
    lines.filter((line) => line.productId === productId).reduce((sum, line) => sum + line.quantity, 0);
  const held = [...snapshot.reservations.values()].filter((r) => r.status === 'held');
  // While sagas still run, the reads race them: the balance only holds once no order is PENDING.
  const settled = !snapshot.orders.some((o) => o.status === 'PENDING');
  if (!settled) v['stock not conserved'].push('not checked: orders still PENDING');
  for (const [productId, { initial, available }] of settled ? snapshot.stock : []) {
    const sold = units(
      snapshot.orders.filter((o) => o.status === 'CONFIRMED').flatMap((o) => o.items),
      productId,
    );
    // A final order's hold is its own violation below; here it still counts as stock.
    const holding = units(
      held.flatMap((r) => r.lines),
      productId,
    );
    if (available < 0 || initial !== available + sold + holding) {
      v['stock not conserved'].push(
        `${productId}: initial ${initial} ≠ available ${available} + sold ${sold} + held ${holding}`,
      );
    }
  }
  for (const order of snapshot.orders) {
    const payment = snapshot.payments.get(order.id);
    if (order.status === 'CONFIRMED' && (payment?.status !== 'captured' || payment.amountCents !== order.totalCents)) {
      v['confirmed order without exactly its captured payment'].push(
        `${order.id}: ${payment?.status ?? 'none'} ${payment?.amountCents ?? ''} for total ${order.totalCents}`,
      );
    }
    if (
      (order.status === 'FAILED' || order.status === 'CANCELLED') &&
      ['captured', 'authorized'].includes(payment?.status ?? '')
    ) {
      v['failed or cancelled order holding money'].push(`${order.id} ${order.status}: payment ${payment!.status}`);
    }
    if (order.status !== 'PENDING' && snapshot.reservations.get(order.id)?.status === 'held') {
      v['reservation held by a final order'].push(`${order.id} ${order.status}`);
    }
  }
  return v;
}

export interface ServiceUrls {
  orders: string;
  products: string;
  token: string;
}

async function orNone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
    throw error;
  }
}

/** Every order of the given customers, as the orders service holds them. */
export async function readOrders(urls: ServiceUrls, customerIds: string[]): Promise<Order[]> {
  const orders = createServiceTransport({
    service: 'orders',
    baseUrl: urls.orders,
    token: urls.token,
    timeoutMs: 15_000,
  });
  const all: Order[] = [];
  for (const customerId of customerIds) {
    let cursor: string | undefined;
    do {
      const page = await orders.call('GET', '/v1/orders', ListOrdersResponse, {
        query: { customerId, limit: 100, cursor },
      });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return all;
}

export async function readSnapshot(
  urls: ServiceUrls,
  customerIds: string[],
  initialStock: Map<string, number>,
): Promise<Snapshot> {
  const client = (service: string, baseUrl: string) =>
    createServiceTransport({ service, baseUrl, token: urls.token, timeoutMs: 15_000 });
  const [orders, products] = [client('orders', urls.orders), client('products', urls.products)];
  const snapshot: Snapshot = {
    orders: await readOrders(urls, customerIds),
    payments: new Map(),
    reservations: new Map(),
    stock: new Map(),
  };
  for (const order of snapshot.orders) {
    const payment = await orNone(orders.call('GET', `/v1/payments/${order.id}`, Payment));
    if (payment) snapshot.payments.set(order.id, payment);
    const reservation = await orNone(products.call('GET', `/v1/reservations/${order.id}`, Reservation));
    if (reservation) snapshot.reservations.set(order.id, reservation);
  }
  for (const [productId, initial] of initialStock) {
    const product = await products.call('GET', `/v1/products/${productId}`, Product);
    snapshot.stock.set(productId, { initial, available: product.stock });
  }
  return snapshot;
}
