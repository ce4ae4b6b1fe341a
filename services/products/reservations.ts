import type { Reservation } from '../../contracts/products.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError, validationProblem } from '../../lib/problem.js';
import type { Catalog } from './catalog.js';
import type { Ledger } from './ledger.js';
import type { FinalDoc, Line, ReservationDoc } from './schema.js';
import { isDuplicateKey, type Store } from './store.js';

const released = (orderId: string) =>
  new ProblemError(409, ErrorCode.RESERVATION_RELEASED, `Reservation ${orderId} was released`, { orderId });
const outOfStock = (productId: string | undefined) =>
  new ProblemError(409, ErrorCode.OUT_OF_STOCK, `Not enough stock for product ${productId}`, { productId });

export type Reservations = ReturnType<typeof createReservations>;

/**
 * Reserve, release and commit per order. Decisions are single inserts keyed by orderId
 * (reservations: held|rejected; reservation_finals: released|committed), stock moves through the ledger.
 */
export function createReservations(store: Pick<Store, 'reservations' | 'finals'>, ledger: Ledger, catalog: Catalog) {
  /** Inserts `doc` unless a document with its _id exists; either way returns the one that won. */
  async function insertOnce<T extends { _id: string }>(
    collection: { insertOne(d: T): Promise<unknown>; findOne(f: { _id: string }): Promise<unknown> },
    doc: T,
  ): Promise<T> {
    try {
      await collection.insertOne(doc);
      return doc;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = (await collection.findOne({ _id: doc._id })) as T | null;
      if (!winner) throw error;
      return winner;
    }
  }

  const decide = (doc: ReservationDoc) => insertOnce(store.reservations, doc);
  const finalize = (orderId: string, kind: FinalDoc['kind']) =>
    insertOnce(store.finals, { _id: orderId, kind, at: new Date() });
  const finalOf = (orderId: string) => store.finals.findOne({ _id: orderId });

  /** Gives back every unit this order took; each line at most once, so it is safe to repeat. */
  async function reverseAll(orderId: string): Promise<void> {
    for (const entry of await ledger.orderEntries(orderId, 'reserve')) {
      const opKey = `release:${orderId}:${entry.productId}`;
      await ledger.append({
        productId: entry.productId,
        delta: -entry.delta,
        kind: 'release',
        opKey,
        orderId,
        guarded: false,
      });
    }
  }

  async function takeStock(orderId: string, lines: Line[]): Promise<ReservationDoc> {
    const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    for (const { productId, quantity } of sorted) {
      const opKey = `reserve:${orderId}:${productId}`;
      const outcome = await ledger.append({
        productId,
        delta: -quantity,
        kind: 'reserve',
        opKey,
        orderId,
        guarded: true,
      });
      if (outcome === 'short')
        return decide({ _id: orderId, status: 'rejected', lines, shortProductId: productId, at: new Date() });
    }
    // Write-then-read: a release that raced us either saw our entries or we see its marker.
    const [decision, final] = await Promise.all([
      decide({ _id: orderId, status: 'held', lines, at: new Date() }),
      finalOf(orderId),
    ]);
    if (final?.kind === 'released') {
      await reverseAll(orderId);
      throw released(orderId);
    }
    return decision;
  }

  async function assertProductsExist(lines: Line[]): Promise<void> {
    const exists = await Promise.all(lines.map((l) => catalog.exists(l.productId)));
    const missing = lines.find((_, i) => !exists[i])?.productId;
    if (missing !== undefined) {
      throw new ProblemError(404, ErrorCode.PRODUCT_NOT_FOUND, `No product ${missing}`, { productId: missing });
    }
  }

  async function reserve(orderId: string, lines: Line[]): Promise<Reservation> {
    if (new Set(lines.map((l) => l.productId)).size !== lines.length) {
      throw validationProblem([{ path: 'lines', message: 'each productId at most once' }]);
    }
    // Read together: the products are checked even when a decision exists (only a retry finds one).
    const [final, found] = await Promise.all([
      finalOf(orderId),
      store.reservations.findOne({ _id: orderId }),
      assertProductsExist(lines),
    ]);
    if (final?.kind === 'released') {
      // An earlier attempt may have taken stock after the release gave back what it saw.
      await reverseAll(orderId);
      throw released(orderId);
    }
    const decision = found ?? (await takeStock(orderId, lines));
    if (decision.status === 'rejected') {
      await reverseAll(orderId);
      throw outOfStock(decision.shortProductId);
    }
    return { orderId, status: 'held', lines: decision.lines };
  }

  async function release(orderId: string): Promise<Reservation> {
    const final = await finalize(orderId, 'released');
    if (final.kind === 'committed') {
      throw new ProblemError(409, ErrorCode.RESERVATION_COMMITTED, `Reservation ${orderId} was committed`, { orderId });
    }
    await reverseAll(orderId);
    const decision = await store.reservations.findOne({ _id: orderId });
    return { orderId, status: 'released', lines: decision?.lines ?? [] };
  }

  async function commit(orderId: string): Promise<Reservation> {
    const decision = await store.reservations.findOne({ _id: orderId });
    if (decision?.status !== 'held') {
      const final = await finalOf(orderId);
      if (final?.kind === 'released') throw released(orderId);
      throw new ProblemError(409, ErrorCode.RESERVATION_NOT_HELD, `Nothing is held for order ${orderId}`, { orderId });
    }
    const final = await finalize(orderId, 'committed');
    if (final.kind === 'released') throw released(orderId);
    // Zero-delta audit entries: the units sold are those of the order's reserve entries.
    for (const { productId } of decision.lines) {
      await ledger.append({
        productId,
        delta: 0,
        kind: 'commit',
        opKey: `commit:${orderId}:${productId}`,
        orderId,
        guarded: false,
      });
    }
    return { orderId, status: 'committed', lines: decision.lines };
  }

  async function get(orderId: string): Promise<Reservation> {
    const [decision, final] = await Promise.all([store.reservations.findOne({ _id: orderId }), finalOf(orderId)]);
    if (!decision && !final) throw notFound(`No reservation for order ${orderId}`);
    const status = final?.kind ?? decision?.status ?? 'released';
    return { orderId, status, lines: decision?.lines ?? [] };
  }

  return { reserve, release, commit, get };
}
