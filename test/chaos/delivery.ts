import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { NotificationPage, type Notification } from '../../contracts/notifications.js';
import type { Order } from '../../contracts/orders.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import type { CancelRequest } from './customers.js';

const run = promisify(execFile);

export const DELIVERY_INVARIANTS = [
  'final order without exactly one notification',
  'message in a dead-letter queue',
  'outbox event never sent',
  'accepted cancel not CANCELLED',
  'process exited by itself',
] as const;
export type DeliveryInvariant = (typeof DELIVERY_INVARIANTS)[number];

/** What the asynchronous path holds once every order is final and the settle time has passed. */
export interface DeliverySnapshot {
  notifications: Map<string, Notification[]>;
  /** Messages in the stack's dead-letter queue(s). */
  deadLetters: number;
  unsentOutbox: number;
  /** Final order → its notification, in ms (order's last update to the notification's creation). */
  lagMs: number[];
}

export interface DeliverySources {
  notificationsUrl: string;
  token: string;
  ordersDatabaseUrl: string;
  /** The stack's queue name prefix: every queue named `${prefix}…dead-letter` counts. */
  queuePrefix: string;
}

async function readNotifications(source: DeliverySources, customerIds: string[]) {
  const client = createServiceTransport({
    service: 'notifications',
    baseUrl: source.notificationsUrl,
    token: source.token,
    timeoutMs: 15_000,
  });
  const byOrder = new Map<string, Notification[]>();
  for (const customerId of customerIds) {
    let cursor: string | undefined;
    do {
      const page = await client.call('GET', '/v1/notifications', NotificationPage, {
        query: { customerId, limit: 100, cursor },
      });
      for (const n of page.items) byOrder.set(n.orderId, [...(byOrder.get(n.orderId) ?? []), n]);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return byOrder;
}

async function deadLetters(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', 'name', 'messages', '--formatter', 'json']);
  const queues = JSON.parse(stdout) as { name: string; messages: number }[];
  return queues
    .filter((q) => q.name.startsWith(prefix) && q.name.includes('dead-letter'))
    .reduce((sum, q) => sum + q.messages, 0);
}

async function unsentOutbox(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null`;
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}

/** Waits up to `settleMs` for a notification of every final order, then reads the whole path once. */
export async function readDelivery(
  source: DeliverySources,
  customerIds: string[],
  finalOrders: Order[],
  settleMs: number,
): Promise<DeliverySnapshot> {
  const deadline = Date.now() + settleMs;
  let notifications = await readNotifications(source, customerIds);
  while (finalOrders.some((o) => !notifications.has(o.id)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    notifications = await readNotifications(source, customerIds);
  }
  const lagMs = finalOrders.flatMap((o) => {
    const first = notifications.get(o.id)?.[0];
    return first ? [Date.parse(first.createdAt) - Date.parse(o.updatedAt)] : [];
  });
  return {
    notifications,
    deadLetters: await deadLetters(source.queuePrefix),
    unsentOutbox: await unsentOutbox(source.ordersDatabaseUrl),
    lagMs,
  };
}

export interface DeliveryFacts {
  orders: Order[];
  cancels: CancelRequest[];
  delivery: DeliverySnapshot;
  /** Exits the supervisor saw per component, and the SIGKILLs the harness sent. */
  exits: Record<string, number>;
  kills: Record<string, number>;
}

export function checkDelivery({ orders, cancels, delivery, exits, kills }: DeliveryFacts) {
  const v = Object.fromEntries(DELIVERY_INVARIANTS.map((name) => [name, [] as string[]])) as Record<
    DeliveryInvariant,
    string[]
  >;
  for (const order of orders.filter((o) => o.status !== 'PENDING')) {
    const count = delivery.notifications.get(order.id)?.length ?? 0;
    if (count !== 1) v['final order without exactly one notification'].push(`${order.id} ${order.status}: ${count}`);
  }
  if (delivery.deadLetters > 0) v['message in a dead-letter queue'].push(`${delivery.deadLetters} messages`);
  if (delivery.unsentOutbox > 0) v['outbox event never sent'].push(`${delivery.unsentOutbox} events unsent`);
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const cancel of cancels.filter((c) => c.outcome === 200)) {
    const status = byId.get(cancel.orderId)?.status ?? 'missing';
    if (status !== 'CANCELLED') v['accepted cancel not CANCELLED'].push(`${cancel.orderId}: ${status}`);
  }
  for (const [name, count] of Object.entries(exits)) {
    const own = count - (kills[name] ?? 0);
    if (own > 0) v['process exited by itself'].push(`${name}: ${own} exit(s) beyond ${kills[name] ?? 0} kill(s)`);
  }
  return v;
}
