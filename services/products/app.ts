import type { Db } from 'mongodb';
import { Counter } from 'prom-client';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { isMongoOutage } from '../../lib/outages.js';
import { createServiceApp } from '../../lib/service-app.js';
import { createCatalog } from './catalog.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { createLedger } from './ledger.js';
import { createReservations } from './reservations.js';
import { registerProductsRoutes } from './routes.js';
import { createStore } from './store.js';

export interface ProductsAppDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Per-product serialisation inside this process; an optimisation only. */
  mutex?: KeyedMutex;
  /**
   * False until the indexes exist (main.ts keeps trying while the database is down): correctness rests
   * on the unique indexes, so until then the service is not ready and answers 503.
   */
  migrated?: () => boolean;
}

/** The products service: catalog + inventory ledger + reservations, over one MongoDB-protocol database. */
export function createProductsApp({
  db,
  logger,
  metrics,
  serviceToken,
  mutex,
  migrated = () => true,
}: ProductsAppDeps) {
  const store = createStore(db);
  const conflicts = new Counter({
    name: 'inventory_ledger_conflicts_total',
    help: 'Ledger appends that lost a (productId, seq) race and retried',
    registers: [metrics.registry],
  });
  const ledger = createLedger(store, { mutex, onConflict: () => conflicts.inc() });
  const editConflicts = new Counter({
    name: 'product_revision_conflicts_total',
    help: 'Product edits that lost a (productId, rev) race and retried',
    registers: [metrics.registry],
  });
  const catalog = createCatalog(store, ledger, { onConflict: () => editConflicts.inc() });
  const reservations = createReservations(store, ledger, catalog);
  const mongo = async () => {
    if (!migrated()) throw new Error('indexes not created yet');
    await store.ping();
  };
  const app = createServiceApp({ logger, metrics, serviceToken, readiness: { mongo } });
  registerProductsRoutes(
    app,
    { catalog, ledger, reservations },
    {
      outage: (error) => (isMongoOutage(error) ? 'mongo' : undefined),
      unavailable: () => (migrated() ? undefined : 'mongo'),
    },
  );
  return { app, store, ledger, catalog, reservations };
}
