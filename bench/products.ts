/**
 * Benchmark (not a test): N reservations from distinct orders, C at a time, at ONE hot product,
 * over real HTTP to the products app in-process. Uses MONGO_URL when set, otherwise starts its own
 * FerretDB on a free port over a throwaway PostgreSQL database. Prints throughput, latency and RSS.
 *   npx tsx bench/products.ts        env: BENCH_N (2000), BENCH_CONCURRENCY (32), BENCH_STOCK (N * 3/4)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { MongoClient } from 'mongodb';
import { startHttpServer } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { indexFerretDbLookups } from '../scripts/ferretdb-indexes.js';
import { startFerretDb } from '../scripts/infra.js';
import { freePort, type ManagedProcess } from '../scripts/processes.js';
import { ensureFerretDb } from '../scripts/tools.js';
import { createProductsApp } from '../services/products/app.js';
import { migrate } from '../services/products/migrations.js';
import { pathOf } from '../contracts/api.js';
import { productsApi } from '../contracts/products-api.js';
import { databaseUrl, dropDatabasesWithPrefix } from '../test/support/postgres.js';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STOCK = Number(process.env.BENCH_STOCK ?? Math.floor((N * 3) / 4));
const DEADLINE_MS = 5 * 60_000;
const TOKEN = 'bench-service-token-0123456789';
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const runId = `bench_products_${Date.now().toString(36)}`;

async function startOwnFerretDb(): Promise<{ url: string; postgresUrl: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const postgresUrl = databaseUrl(POSTGRES_URL, `${runId}_ferretdb`);
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-ferret-'));
  const output = new PassThrough().resume(); // FerretDB's warnings would drown the results
  const proc: ManagedProcess = await startFerretDb({
    bin: await ensureFerretDb(),
    port,
    postgresUrl,
    stateDir,
    output,
  });
  const stop = async () => {
    await proc.stop();
    await dropDatabasesWithPrefix(POSTGRES_URL, runId);
    await rm(stateDir, { recursive: true, force: true });
  };
  return { url: `mongodb://127.0.0.1:${port}/`, postgresUrl, stop };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function fire(baseUrl: string, productId: string) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let peakRss = process.memoryUsage().rss;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${baseUrl}${pathOf(productsApi.reserve, { orderId: `bench-order-${i}` })}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lines: [{ productId, quantity: 1 }] }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (i % 100 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return {
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
    statuses,
    peakRss,
  };
}

async function main(): Promise<void> {
  const own = process.env.MONGO_URL ? undefined : await startOwnFerretDb();
  const client = new MongoClient(process.env.MONGO_URL ?? own!.url);
  const deadline = setTimeout(() => {
    process.stderr.write('benchmark deadline passed; exiting\n');
    process.exit(2);
  }, DEADLINE_MS);
  deadline.unref();
  try {
    await client.connect();
    const db = client.db(runId);
    const products = createProductsApp({
      db,
      logger: createLogger('products', 'warn'),
      metrics: createMetrics('products', false),
      serviceToken: TOKEN,
    });
    await migrate(db);
    if (own) await indexFerretDbLookups(own.postgresUrl); // as npm start does
    const server = await startHttpServer(products.app, 0);
    try {
      const { product: hot } = await products.catalog.create({
        sku: 'HOT-1',
        name: 'Hot product',
        priceCents: 100,
        stock: STOCK,
      });
      const result = await fire(server.url, hot.id);
      const finalStock = await products.ledger.stockOf(hot.id);
      const held = result.statuses.get(200) ?? 0;
      const ok = held === Math.min(STOCK, N) && finalStock === STOCK - held;
      const ms = (p: number) => `${percentile(result.latencies, p).toFixed(1)} ms`;
      console.log(
        `products bench: ${N} reservations, concurrency ${CONCURRENCY}, one product with stock ${STOCK} (${process.env.MONGO_URL ? 'MONGO_URL' : 'own FerretDB'})`,
      );
      console.log(`  throughput   ${(N / result.seconds).toFixed(0)} reservations/s (${result.seconds.toFixed(2)} s)`);
      console.log(`  latency      p50 ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${ms(100)}`);
      console.log(`  statuses     ${[...result.statuses].map(([s, n]) => `${s}×${n}`).join('  ')}`);
      console.log(`  stock        held ${held}, final ${finalStock} → ${ok ? 'consistent' : 'INCONSISTENT'}`);
      console.log(`  RSS          peak ${(result.peakRss / 2 ** 20).toFixed(0)} MiB`);
      if (!ok) process.exitCode = 1;
    } finally {
      await server.close();
      await db.dropDatabase().catch(() => {});
    }
  } finally {
    await client.close();
    await own?.stop();
    clearTimeout(deadline);
  }
}

await main();
