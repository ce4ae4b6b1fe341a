import { randomUUID } from 'node:crypto';
import { ObjectId, type Filter } from 'mongodb';
import { SHOP_CURRENCY } from '../../contracts/common.js';
import type { CreateProductRequest, Product, UpdateProductRequest } from '../../contracts/products.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError, validationProblem } from '../../lib/problem.js';
import type { Ledger } from './ledger.js';
import { acceptedStates, entityTag, preconditionFailed, sameState } from './entity-tags.js';
import { createRevisions, StaleRevisionError, type Head, type RevisionOptions } from './revisions.js';
import { decodeCursor, encodeCursor, parseProductId } from './product-ids.js';
import type { ProductDoc } from './schema.js';
import { isDuplicateKey, type Store } from './store.js';

const toProduct = (doc: ProductDoc, head: Head, stock: number): Product => ({
  id: doc._id.toHexString(),
  sku: doc.sku,
  name: head.name,
  description: head.description,
  priceCents: head.priceCents,
  currency: head.currency,
  stock,
});

/** A search text matched literally (case-insensitive) inside a name or SKU. */
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export type Catalog = ReturnType<typeof createCatalog>;

export interface Tagged {
  product: Product;
  etag: string;
}

export function createCatalog(
  { products, revisions: revisionLog }: Pick<Store, 'products' | 'revisions'>,
  ledger: Ledger,
  revisionOptions: RevisionOptions = {},
) {
  const revisions = createRevisions(revisionLog, products, revisionOptions);

  async function withStock(docs: ProductDoc[]): Promise<Product[]> {
    const [stocks, heads] = await Promise.all([
      ledger.stocks(docs.map((d) => d._id.toHexString())),
      Promise.all(docs.map(revisions.headOf)),
    ]);
    return docs.map((d, i) => toProduct(d, heads[i]!, stocks.get(d._id.toHexString()) ?? 0));
  }

  async function findDoc(id: string): Promise<ProductDoc | null> {
    const _id = parseProductId(id);
    return _id ? products.findOne({ _id }) : null;
  }

  async function tagged(doc: ProductDoc): Promise<Tagged> {
    const [head, stock] = await Promise.all([revisions.headOf(doc), ledger.headOf(doc._id.toHexString())]);
    return { product: toProduct(doc, head, stock.available), etag: entityTag({ rev: head.rev, seq: stock.seq }) };
  }

  async function existing(id: string): Promise<ProductDoc> {
    const doc = await findDoc(id);
    if (!doc) throw notFound(`No product ${id}`);
    return doc;
  }

  /** The product and the strong ETag of exactly that state. */
  const get = async (id: string): Promise<Tagged> => tagged(await existing(id));

  async function create(input: CreateProductRequest): Promise<Tagged> {
    if (input.currency !== undefined && input.currency !== SHOP_CURRENCY) {
      const message = `the shop sells in ${SHOP_CURRENCY} only`;
      throw validationProblem(
        [{ path: 'currency', message }],
        `Currency ${input.currency} is not supported: ${message}`,
      );
    }
    const now = new Date();
    const doc: ProductDoc = {
      _id: new ObjectId(),
      sku: input.sku,
      skuKey: input.sku.toLowerCase(),
      name: input.name,
      description: input.description ?? '',
      priceCents: input.priceCents,
      currency: SHOP_CURRENCY,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await products.insertOne(doc);
    } catch (error) {
      if (isDuplicateKey(error))
        throw new ProblemError(409, ErrorCode.SKU_TAKEN, `SKU ${input.sku} is taken`, { sku: input.sku });
      throw error;
    }
    const id = doc._id.toHexString();
    await ledger.append({
      productId: id,
      delta: input.stock ?? 0,
      kind: 'initial',
      opKey: `initial:${id}`,
      guarded: false,
    });
    return get(id);
  }

  /** With If-Match, applies only on top of a state it names (else 412); without, never loses a concurrent edit. */
  async function update(id: string, changes: UpdateProductRequest, ifMatch?: string): Promise<Tagged> {
    const doc = await existing(id);
    const accepted = acceptedStates(ifMatch);
    if (!accepted) await revisions.apply(doc, changes);
    else {
      const { seq } = await ledger.headOf(id);
      const named = (head: Head) => accepted.some((state) => sameState(state, { rev: head.rev, seq }));
      await revisions.apply(doc, changes, named).catch((error: unknown) => {
        throw error instanceof StaleRevisionError ? preconditionFailed(id) : error;
      });
    }
    return get(id);
  }

  /** With If-Match, the ledger entry goes in right after the tag's seq or not at all (412). */
  async function restock(id: string, quantity: number, idempotencyKey?: string, ifMatch?: string): Promise<Tagged> {
    const doc = await existing(id);
    const accepted = acceptedStates(ifMatch);
    let afterSeq: number | undefined;
    if (accepted) {
      const { rev } = await revisions.headOf(doc);
      afterSeq = accepted.find((state) => state.rev === rev)?.seq;
      if (afterSeq === undefined) throw preconditionFailed(id);
    }
    // Keys are scoped to the product so one client key cannot swallow another product's restock.
    const opKey = `restock:${id}:${idempotencyKey ?? randomUUID()}`;
    const movement = { productId: id, delta: quantity, kind: 'restock', opKey, guarded: false } as const;
    const outcome = await ledger.append(afterSeq === undefined ? movement : { ...movement, afterSeq });
    if (outcome === 'stale') throw preconditionFailed(id);
    return get(id);
  }

  async function list(query: { q?: string | undefined; limit: number; cursor?: string | undefined }) {
    const filter: Filter<ProductDoc> = {};
    if (query.cursor) filter._id = { $gt: decodeCursor(query.cursor) };
    if (query.q) {
      const pattern = { $regex: escapeRegex(query.q), $options: 'i' };
      filter.$or = [{ name: pattern }, { sku: pattern }];
    }
    const docs = await products
      .find(filter)
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .toArray();
    const page = docs.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: await withStock(page),
      nextCursor: docs.length > query.limit && last ? encodeCursor(last._id) : null,
    };
  }

  async function lookup(ids: string[]) {
    const unique = [...new Set(ids)];
    const objectIds = unique.map(parseProductId).filter((id) => id !== undefined);
    // One _id lookup per line (an order has at most 50): FerretDB runs `$in` as a scan of the whole catalog.
    const docs = (await Promise.all(objectIds.map((_id) => products.findOne({ _id })))).filter((doc) => doc !== null);
    const found = new Set(docs.map((d) => d._id.toHexString()));
    const byId = new Map((await withStock(docs)).map((p) => [p.id, p]));
    const items = unique.flatMap((id) => byId.get(id) ?? []);
    return { items, missing: unique.filter((id) => !found.has(id)) };
  }

  return { get, create, update, restock, list, lookup, exists: async (id: string) => (await findDoc(id)) !== null };
}
