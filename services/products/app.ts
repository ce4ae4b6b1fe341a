import type { Db } from 'mongodb';
import { Counter } from 'prom-client';
import { z } from 'zod';
import {
  CreateProductRequest,
  ListProductsQuery,
  LookupRequest,
  ReserveRequest,
  RestockRequest,
  UpdateProductRequest,
  type LedgerEntry,
} from '../../contracts/products.js';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { notFound, validationProblem } from '../../lib/problem.js';
import { createServiceApp, readJson, readQuery } from '../../lib/service-app.js';
import { createCatalog } from './catalog.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { createLedger } from './ledger.js';
import { createReservations } from './reservations.js';
import { createStore, type LedgerDoc } from './store.js';

export interface ProductsAppDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Per-product serialisation inside this process; an optimisation only. */
  mutex?: KeyedMutex;
}

const OrderId = z.string().min(1).max(128);
const IdempotencyKey = z.string().min(1).max(255);

const toEntry = (doc: LedgerDoc): LedgerEntry => ({
  productId: doc.productId,
  seq: doc.seq,
  kind: doc.kind,
  delta: doc.delta,
  available: doc.available,
  orderId: doc.orderId,
  at: doc.at.toISOString(),
});

function orderIdOf(raw: string): string {
  const parsed = OrderId.safeParse(raw);
  if (!parsed.success)
    throw validationProblem([{ path: 'orderId', message: parsed.error.issues[0]?.message ?? 'invalid' }]);
  return parsed.data;
}

/** The products service: catalog + inventory ledger + reservations, over one MongoDB-protocol database. */
export function createProductsApp({ db, logger, metrics, serviceToken, mutex }: ProductsAppDeps) {
  const store = createStore(db);
  const conflicts = new Counter({
    name: 'inventory_ledger_conflicts_total',
    help: 'Ledger appends that lost a (productId, seq) race and retried',
    registers: [metrics.registry],
  });
  const ledger = createLedger(store, { mutex, onConflict: () => conflicts.inc() });
  const catalog = createCatalog(store, ledger);
  const reservations = createReservations(store, ledger, catalog);
  const app = createServiceApp({
    logger,
    metrics,
    serviceToken,
    readiness: { mongo: async () => void (await db.command({ ping: 1 })) },
  });

  app.get('/v1/products', async (c) => c.json(await catalog.list(readQuery(c, ListProductsQuery))));
  app.post('/v1/products', async (c) => c.json(await catalog.create(await readJson(c, CreateProductRequest)), 201));
  app.post('/v1/products/lookup', async (c) => c.json(await catalog.lookup((await readJson(c, LookupRequest)).ids)));
  app.get('/v1/products/:id', async (c) => c.json(await catalog.get(c.req.param('id'))));
  app.patch('/v1/products/:id', async (c) =>
    c.json(await catalog.update(c.req.param('id'), await readJson(c, UpdateProductRequest))),
  );
  app.post('/v1/products/:id/restock', async (c) => {
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IdempotencyKey.safeParse(key).success) {
      throw validationProblem([{ path: 'Idempotency-Key', message: '1 to 255 characters' }]);
    }
    const { quantity } = await readJson(c, RestockRequest);
    return c.json(await catalog.restock(c.req.param('id'), quantity, key));
  });
  app.get('/v1/products/:id/ledger', async (c) => {
    const id = c.req.param('id');
    if (!(await catalog.exists(id))) throw notFound(`No product ${id}`);
    return c.json({ items: (await ledger.entries(id)).map(toEntry) });
  });

  app.put('/v1/reservations/:orderId', async (c) => {
    const orderId = orderIdOf(c.req.param('orderId'));
    const { lines } = await readJson(c, ReserveRequest);
    return c.json(await reservations.reserve(orderId, lines));
  });
  app.post('/v1/reservations/:orderId/release', async (c) =>
    c.json(await reservations.release(orderIdOf(c.req.param('orderId')))),
  );
  app.post('/v1/reservations/:orderId/commit', async (c) =>
    c.json(await reservations.commit(orderIdOf(c.req.param('orderId')))),
  );
  app.get('/v1/reservations/:orderId', async (c) => c.json(await reservations.get(orderIdOf(c.req.param('orderId')))));

  return { app, store, ledger, catalog, reservations };
}
