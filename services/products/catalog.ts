import { randomUUID } from 'node:crypto';
import { ObjectId, type Filter } from 'mongodb';
import { SHOP_CURRENCY } from '../../contracts/common.js';
import type { CreateProductRequest, Product, UpdateProductRequest } from '../../contracts/products.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError, validationProblem } from '../../lib/problem.js';
import type { Ledger } from './ledger.js';
import { createRevisions, type Head, type RevisionOptions } from './revisions.js';
import type { ProductDoc } from './schema.js';
import { isDuplicateKey, type Store } from './store.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Product ids are ObjectId hex strings; anything else names no product. */
export function parseProductId(id: string): ObjectId | undefined {
  return OBJECT_ID.test(id) ? new ObjectId(id) : undefined;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export const encodeCursor = (id: ObjectId) => Buffer.from(id.toHexString(), 'hex').toString('base64url');

function decodeCursor(cursor: string): ObjectId {
  const hex = Buffer.from(cursor, 'base64url').toString('hex');
  if (!OBJECT_ID.test(hex) || encodeCursor(new ObjectId(hex)) !== cursor) {
    throw validationProblem([{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return new ObjectId(hex);
}

const toProduct = (doc: ProductDoc, head: Head, stock: number): Product => ({
  id: doc._id.toHexString(),
  sku: doc.sku,
  name: head.name,
  description: head.description,
  priceCents: head.priceCents,
  currency: head.currency,
  stock,
});

export type Catalog = ReturnType<typeof createCatalog>;

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

  async function get(id: string): Promise<Product> {
    const doc = await findDoc(id);
    if (!doc) throw notFound(`No product ${id}`);
    const [head, stock] = await Promise.all([revisions.headOf(doc), ledger.stockOf(id)]);
    return toProduct(doc, head, stock);
  }

  async function create(input: CreateProductRequest): Promise<Product> {
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

  async function update(id: string, changes: UpdateProductRequest): Promise<Product> {
    const doc = await findDoc(id);
    if (!doc) throw notFound(`No product ${id}`);
    await revisions.apply(doc, changes);
    return get(id);
  }

  async function restock(id: string, quantity: number, idempotencyKey?: string): Promise<Product> {
    if (!(await findDoc(id))) throw notFound(`No product ${id}`);
    // Keys are scoped to the product so one client key cannot swallow another product's restock.
    const opKey = `restock:${id}:${idempotencyKey ?? randomUUID()}`;
    await ledger.append({ productId: id, delta: quantity, kind: 'restock', opKey, guarded: false });
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
    const docs = objectIds.length ? await products.find({ _id: { $in: objectIds } }).toArray() : [];
    const found = new Set(docs.map((d) => d._id.toHexString()));
    const byId = new Map((await withStock(docs)).map((p) => [p.id, p]));
    const items = unique.flatMap((id) => byId.get(id) ?? []);
    return { items, missing: unique.filter((id) => !found.has(id)) };
  }

  return { get, create, update, restock, list, lookup, exists: async (id: string) => (await findDoc(id)) !== null };
}
