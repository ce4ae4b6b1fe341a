// How soon events flow again after a dependency comes back: RabbitMQ, then PostgreSQL, each held down.
// Usage: npx tsx bench/recovery.ts [outageSeconds=30]
// Real orders and notifications processes (as `npm start` runs them) on a PostgreSQL of their own and a
// RabbitMQ vhost of their own; one order is placed and cancelled every 100 ms throughout.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import postgres from 'postgres';
import { databaseUrl } from '../scripts/databases.js';
import { freePort } from '../scripts/processes.js';
import { startAppStack, type AppProcessName } from '../scripts/stack.js';
import { createTestVhost } from '../test/support/amqp.js';
import { TEST_SERVICE_TOKEN } from '../test/support/constants.js';
import { startPrivatePostgres } from '../test/support/private-postgres.js';

const outageMs = Number(process.argv[2] ?? 30) * 1000;
const [pg, vhost] = await Promise.all([startPrivatePostgres(), createTestVhost('bench_recovery')]);
const names = ['api', 'users', 'products', 'orders', 'notifications', 'worker'] as const;
const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()]))) as Record<
  AppProcessName,
  number
>;
const notificationsDb = databaseUrl(pg.url, 'notifications');
const stack = await startAppStack({
  ports,
  only: ['orders', 'notifications'],
  output: new PassThrough().resume(),
  env: {
    SERVICE_TOKEN: TEST_SERVICE_TOKEN,
    ORDERS_DATABASE_URL: databaseUrl(pg.url, 'orders'),
    NOTIFICATIONS_DATABASE_URL: notificationsDb,
    AMQP_URL: vhost.url,
    LOG_LEVEL: 'error',
  },
});
const sql = postgres(notificationsDb, { max: 1, onnotice: () => {} });
const ordersSql = postgres(databaseUrl(pg.url, 'orders'), { max: 1, onnotice: () => {} });
/** When the relay marked the last event of these orders sent. */
const lastSent = async (orderIds: string[]) =>
  (
    await ordersSql<{ at: Date }[]>`select max(sent_at) as at from outbox where order_id in ${ordersSql(orderIds)}`
  )[0]!.at.getTime();
const headers = { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'content-type': 'application/json' };
/** Orders accepted (placed and cancelled), with when: each must get one notification. */
const accepted = new Map<string, number>();
let placing = true;

async function placeAndCancel(): Promise<void> {
  const id = randomUUID();
  const body = JSON.stringify({
    customerId: 'bench',
    items: [{ productId: 'p1', name: 'Kettle', quantity: 1, unitPriceCents: 100 }],
    paymentMethod: 'tok_visa',
    workflowId: `wf-${id}`,
  });
  const orders = stack.urls.orders;
  const placed = await fetch(`${orders}/v1/orders/${id}`, { method: 'PUT', headers, body });
  if (placed.status !== 201) return;
  const cancel = { method: 'POST', headers, body: '{"to":"CANCELLED"}' };
  if ((await fetch(`${orders}/v1/orders/${id}/transitions`, cancel)).ok) accepted.set(id, Date.now());
}
const load = (async () => {
  while (placing) {
    await Promise.all([placeAndCancel().catch(() => undefined), new Promise((r) => setTimeout(r, 100))]);
  }
})();

/** When each order got its notification (the database's clock is this machine's). */
async function notified(): Promise<Map<string, number>> {
  const rows = await sql<{ order_id: string; at: Date }[]>`select order_id, created_at as at from notifications`;
  return new Map(rows.map((row) => [row.order_id, row.at.getTime()]));
}

/** Waits until every order accepted so far is notified; returns each one's notification time. */
async function settle(): Promise<Map<string, number>> {
  for (;;) {
    const seen = await notified().catch(() => new Map<string, number>());
    if ([...accepted.keys()].every((id) => seen.has(id))) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  await sleep(3_000);
  // RabbitMQ: orders keep being accepted; their events wait in the outbox.
  await vhost.down();
  const downAt = Date.now();
  await sleep(outageMs);
  await vhost.up();
  const upAt = Date.now();
  const during = [...accepted].filter(([, at]) => at > downAt && at < upAt).map(([id]) => id);
  await sleep(5_000);
  const afterBroker = await settle();
  const brokerLags = during.map((id) => afterBroker.get(id)! - upAt).sort((a, b) => a - b);
  console.log(
    `RabbitMQ down ${seconds(outageMs)}: ${during.length} orders accepted meanwhile; after it was back, ` +
      `first notified +${seconds(brokerLags[0] ?? NaN)}, their events all published +${seconds((await lastSent(during)) - upAt)}, ` +
      `all notified +${seconds(brokerLags.at(-1) ?? NaN)}`,
  );

  // PostgreSQL: nothing is accepted meanwhile; how soon are orders accepted and notified again?
  await pg.stop('immediate');
  await sleep(outageMs);
  const before = new Set(accepted.keys());
  await pg.start();
  const backAt = Date.now();
  await sleep(10_000);
  const fresh = [...accepted].filter(([id]) => !before.has(id));
  const afterDb = await settle();
  const firstAccepted = Math.min(...fresh.map(([, at]) => at)) - backAt;
  const firstNotified = Math.min(...fresh.map(([id]) => afterDb.get(id)!)) - backAt;
  const lags = fresh.map(([id, at]) => afterDb.get(id)! - at).sort((a, b) => a - b);
  console.log(
    `PostgreSQL down ${seconds(outageMs)}: after it was back, orders accepted again +${seconds(firstAccepted)}, ` +
      `first notified +${seconds(firstNotified)}; lag of the ${lags.length} orders of the next 10 s: ` +
      `p50 ${seconds(lags[Math.floor(lags.length / 2)] ?? NaN)}, max ${seconds(lags.at(-1) ?? NaN)}`,
  );
} finally {
  placing = false;
  await load;
  await Promise.all([sql.end({ timeout: 1 }), ordersSql.end({ timeout: 1 })]);
  await stack.stop();
  await pg.destroy();
  await vhost.remove();
}
