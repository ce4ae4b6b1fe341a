// Events through the asynchronous path: orders outbox → relay → RabbitMQ → notifications consumer.
// Usage: npx tsx bench/events.ts [orders=1000] [concurrency=16]   (two events per order: placed + final)
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { createLogger } from '../lib/logger.js';
import { ensureDatabase } from '../lib/pg.js';
import { databaseUrl, dropDatabases } from '../scripts/databases.js';
import { startEventPipeline } from '../test/support/event-pipeline.js';

const [orders = 1000, concurrency = 16] = process.argv.slice(2).map(Number);
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.AMQP_URL ?? DEFAULT_AMQP_URL;
const tag = `bench_events_${Date.now().toString(36)}`;
const databases = [databaseUrl(postgresUrl, `${tag}_orders`), databaseUrl(postgresUrl, `${tag}_notifications`)];
const names = { exchange: `${tag}.events`, queue: `${tag}.queue` };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

await Promise.all(databases.map(ensureDatabase));
const lags: number[] = [];
let done: () => void;
const allConsumed = new Promise<void>((resolve) => (done = resolve));
const pipeline = await startEventPipeline({
  ordersDatabaseUrl: databases[0]!,
  notificationsDatabaseUrl: databases[1]!,
  amqpUrl,
  ...names,
  logger: createLogger('bench', 'warn'),
  prefetch: 50,
  afterRecord: async (event) => {
    lags.push(Date.now() - Date.parse(event.occurredAt));
    if (lags.length === orders * 2) done();
  },
});
try {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < orders) {
        const id = `bench_${next++}_${randomUUID().slice(0, 8)}`;
        const items = [{ productId: 'p_1', name: 'Mug', quantity: 1, unitPriceCents: 900 }];
        await pipeline.orders.create(id, {
          customerId: 'c',
          items,
          currency: 'USD',
          paymentMethod: 'tok_visa',
          workflowId: id,
          steps: [],
        });
        await pipeline.orders.transition(id, { to: 'CANCELLED' });
      }
    }),
  );
  const committed = Date.now();
  await allConsumed;
  const seconds = (Date.now() - started) / 1000;
  lags.sort((a, b) => a - b);
  console.log(
    `events: ${orders * 2} events (${orders} orders, ${concurrency} writers) in ${seconds.toFixed(1)} s → ` +
      `${Math.round((orders * 2) / seconds)} events/s end to end (writes done at ${((committed - started) / 1000).toFixed(1)} s); ` +
      `lag commit → consumed p50 ${percentile(lags, 0.5)} ms, p99 ${percentile(lags, 0.99)} ms, max ${lags.at(-1)} ms`,
  );
} finally {
  await pipeline.close();
  const connection = await connect(amqpUrl);
  const channel = await connection.createChannel();
  for (const queue of [names.queue, `${names.queue}.dead-letter`]) await channel.deleteQueue(queue);
  await channel.deleteExchange(names.exchange);
  await connection.close();
  await dropDatabases(postgresUrl, databases);
}
