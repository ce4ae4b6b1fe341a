import type { Hono } from 'hono';
import { productsApi } from '../../contracts/products-api.js';
import type { LedgerEntry } from '../../contracts/products.js';
import { reply, serveApi, type ServeOptions } from '../../lib/contract-server.js';
import { notFound } from '../../lib/problem.js';
import type { AppEnv } from '../../lib/service-app.js';
import type { Catalog, Tagged } from './catalog.js';
import { noneMatch } from './entity-tags.js';
import type { Ledger } from './ledger.js';
import type { Reservations } from './reservations.js';
import type { LedgerDoc } from './schema.js';

export interface ProductsDomain {
  catalog: Catalog;
  ledger: Ledger;
  reservations: Reservations;
}

const withTag = ({ product, etag }: Tagged) => reply(product, { headers: { etag } });

const toEntry = (doc: LedgerDoc): LedgerEntry => ({
  productId: doc.productId,
  seq: doc.seq,
  kind: doc.kind,
  delta: doc.delta,
  available: doc.available,
  orderId: doc.orderId,
  at: doc.at.toISOString(),
});

export function registerProductsRoutes(
  app: Hono<AppEnv>,
  { catalog, ledger, reservations }: ProductsDomain,
  options: ServeOptions,
): void {
  serveApi(
    app,
    productsApi,
    {
      list: async ({ query }) => catalog.list(query),
      create: async ({ body }) => withTag(await catalog.create(body)),
      lookup: async ({ body }) => catalog.lookup(body.ids),
      get: async ({ params }, c) => {
        const { product, etag } = await catalog.get(params.id);
        const fresh = noneMatch(c.req.header('if-none-match'), etag);
        return reply(product, { headers: { etag }, ...(fresh ? {} : { status: 304 }) });
      },
      update: async ({ params, body }, c) => withTag(await catalog.update(params.id, body, c.req.header('if-match'))),
      restock: async ({ params, body, idempotencyKey }, c) =>
        withTag(await catalog.restock(params.id, body.quantity, idempotencyKey, c.req.header('if-match'))),
      ledger: async ({ params }) => {
        if (!(await catalog.exists(params.id))) throw notFound(`No product ${params.id}`);
        return { items: (await ledger.entries(params.id)).map(toEntry) };
      },
      reserve: async ({ params, body }) => reservations.reserve(params.orderId, body.lines),
      release: async ({ params }) => reservations.release(params.orderId),
      commit: async ({ params }) => reservations.commit(params.orderId),
      getReservation: async ({ params }) => reservations.get(params.orderId),
    },
    options,
  );
}
