import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { EditableFields, ProductDoc, RevisionDoc } from './schema.js';
import { isDuplicateKey } from './store.js';

/** A product's editable state at one revision; rev 0 is the product document as created. */
export interface Head extends EditableFields {
  rev: number;
}

const editable = (source: EditableFields): EditableFields => ({
  name: source.name,
  description: source.description,
  priceCents: source.priceCents,
  currency: source.currency,
});

/** Someone else's revision won the race while the caller required the one it read. */
export class StaleRevisionError extends Error {}

const contended = () =>
  new ProblemError(
    503,
    ErrorCode.SERVICE_UNAVAILABLE,
    'Product is under heavy contention; retry',
    {},
    {
      'Retry-After': '1',
    },
  );

export interface RevisionOptions {
  /** Attempts before giving up under extreme contention (answered as a retryable 503). */
  maxAttempts?: number;
  onConflict?: () => void;
}

/**
 * Catalog edits as an append-only log: each revision holds the full editable state, and the unique
 * (productId, rev) index picks one winner per rev. FerretDB rewrites whole documents on update without a
 * lock, so an insert into a unique index is the only atomic step; the product document is only a cache.
 */
export function createRevisions(
  revisions: Collection<RevisionDoc>,
  products: Collection<ProductDoc>,
  options: RevisionOptions = {},
) {
  const maxAttempts = options.maxAttempts ?? 500;
  const at = (productId: string, rev: number) => revisions.findOne({ productId, rev });

  /** Revs are gap-free, so gallop forward from the cached rev, then bisect: exact lookups only. */
  async function headOf(doc: ProductDoc): Promise<Head> {
    const productId = doc._id.toHexString();
    // One $set writes the cached fields and their rev together, so the pair is always consistent.
    let known: Head = { ...editable(doc), rev: doc.rev ?? 0 };
    let step = 1;
    let missing = known.rev + 1;
    for (let found = await at(productId, missing); found; found = await at(productId, missing)) {
      known = { ...editable(found), rev: found.rev };
      step *= 2;
      missing = known.rev + step;
    }
    while (missing - known.rev > 1) {
      const mid = Math.floor((known.rev + missing) / 2);
      const found = await at(productId, mid);
      if (found) known = { ...editable(found), rev: found.rev };
      else missing = mid;
    }
    return known;
  }

  /** Inserts head+changes as rev+1; false when another writer took that rev first. */
  async function tryApply(doc: ProductDoc, head: Head, changes: Partial<EditableFields>): Promise<Head | false> {
    const next: RevisionDoc = {
      productId: doc._id.toHexString(),
      rev: head.rev + 1,
      ...editable({ ...head, ...changes }),
      at: new Date(),
    };
    try {
      await revisions.insertOne(next);
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    // Best effort: on FerretDB an older cache write may land last; readers always take the head revision.
    await products.updateOne(
      { _id: doc._id, $or: [{ rev: { $exists: false } }, { rev: { $lt: next.rev } }] },
      {
        $set: { ...editable(next), rev: next.rev, updatedAt: next.at },
      },
    );
    return { ...editable(next), rev: next.rev };
  }

  /**
   * Applies `changes` on top of the latest revision. With `expected`, only on top of exactly that
   * revision (throws StaleRevisionError otherwise); without, a lost race re-reads and retries, so
   * concurrent edits of different fields all survive.
   */
  async function apply(doc: ProductDoc, changes: Partial<EditableFields>, expected?: (head: Head) => boolean) {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const head = await headOf(doc);
      if (expected && !expected(head)) throw new StaleRevisionError();
      const applied = await tryApply(doc, head, changes);
      if (applied) return applied;
      if (expected) throw new StaleRevisionError();
      options.onConflict?.();
      await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
    }
    throw contended();
  }

  return { headOf, apply };
}
