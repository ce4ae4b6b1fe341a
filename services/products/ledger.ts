import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import { withTimeout } from '../../lib/timeout.js';
import { createKeyedMutex, type KeyedMutex } from './keyed-mutex.js';
import { createHeadFinder } from './ledger-head.js';
import type { LedgerDoc, MovementKind } from './schema.js';
import { isDuplicateKey, type Store } from './store.js';

export interface Movement {
  productId: string;
  delta: number;
  kind: MovementKind;
  opKey: string;
  orderId?: string | null;
  /** Refuse the movement when it would take the balance below zero. */
  guarded: boolean;
  /** Append only directly after this seq (a conditional request's state); otherwise 'stale'. */
  afterSeq?: number;
}

/** applied: written now; duplicate: this opKey was already written; short: not enough stock; stale: not after afterSeq. */
export type AppendOutcome = 'applied' | 'duplicate' | 'short' | 'stale';

export interface LedgerOptions {
  mutex?: KeyedMutex;
  /** Attempts before giving up under extreme contention (answered as a retryable 503). */
  maxAttempts?: number;
  /**
   * Bound on one append, waiting for the product's mutex included (503 past it), below the
   * service client's 5 s so no work keeps going for a caller that has given up.
   */
  deadlineMs?: number;
  onConflict?: () => void;
}

export type Ledger = ReturnType<typeof createLedger>;

const DEADLINE_PASSED = 'ledger append deadline passed';
const contention = () =>
  new ProblemError(
    503,
    ErrorCode.SERVICE_UNAVAILABLE,
    'Inventory is under heavy contention; retry',
    {},
    {
      'Retry-After': '1',
    },
  );

/**
 * The inventory ledger. Correctness rests only on unique-index inserts: (productId, seq) makes
 * concurrent writers of the same balance collide, opKey makes every movement happen at most once.
 */
export function createLedger({ ledger }: Pick<Store, 'ledger'>, options: LedgerOptions = {}) {
  const mutex = options.mutex ?? createKeyedMutex();
  const maxAttempts = options.maxAttempts ?? 2000;
  const deadlineMs = options.deadlineMs ?? 4_000;

  const latest = createHeadFinder(ledger);
  const hasOpKey = async (opKey: string) => (await ledger.findOne({ opKey }, { projection: { _id: 1 } })) !== null;

  /**
   * One try at appending after the head: the one this process knows (`cached`), else looked up. A stale known
   * head cannot slip through: seqs are gap-free, so an insert after it collides on (productId, seq).
   */
  async function tryAppend(m: Movement, cached: boolean): Promise<AppendOutcome | 'conflict' | 'refresh'> {
    const known = cached ? latest.known(m.productId) : undefined;
    const top = known ?? (await latest(m.productId));
    if (m.afterSeq !== undefined && (top?.seq ?? 0) !== m.afterSeq) {
      return (await hasOpKey(m.opKey)) ? 'duplicate' : 'stale';
    }
    const available = (top?.available ?? 0) + m.delta;
    // Stock may have come in since the known head: only a looked-up head says 'short'.
    if (m.guarded && available < 0 && known) return 'refresh';
    // A concurrent duplicate may have taken the stock this very movement needs.
    if (m.guarded && available < 0) return (await hasOpKey(m.opKey)) ? 'duplicate' : 'short';
    const entry: LedgerDoc = {
      productId: m.productId,
      seq: (top?.seq ?? 0) + 1,
      kind: m.kind,
      delta: m.delta,
      available,
      orderId: m.orderId ?? null,
      opKey: m.opKey,
      at: new Date(),
    };
    try {
      await ledger.insertOne(entry);
      latest.remember(entry);
      return 'applied';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (await hasOpKey(m.opKey)) return 'duplicate';
      return m.afterSeq === undefined ? 'conflict' : 'stale';
    }
  }

  async function append(m: Movement): Promise<AppendOutcome> {
    const deadline = Date.now() + deadlineMs;
    const turn = mutex(m.productId, async () => {
      // A conditional movement compares with the looked-up head; the others start from the known one.
      let cached = m.afterSeq === undefined;
      for (let attempt = 0; attempt < maxAttempts && Date.now() < deadline; attempt++) {
        const outcome = await tryAppend(m, cached);
        cached = false;
        if (outcome === 'refresh') continue;
        if (outcome !== 'conflict') return outcome;
        options.onConflict?.();
        await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
      }
      throw contention();
    });
    // The caller hears 503 at the deadline; a turn still queued then skips its work (a retry's
    // opKey finds any movement that did land).
    turn.catch(() => {});
    return withTimeout(turn, Math.max(0, deadline - Date.now()), DEADLINE_PASSED).catch((error: unknown) => {
      throw error instanceof Error && error.message === DEADLINE_PASSED ? contention() : error;
    });
  }

  async function headOf(productId: string): Promise<{ seq: number; available: number }> {
    const top = await latest(productId);
    return { seq: top?.seq ?? 0, available: top?.available ?? 0 };
  }

  async function stockOf(productId: string): Promise<number> {
    return (await headOf(productId)).available;
  }

  async function stocks(productIds: string[]): Promise<Map<string, number>> {
    const pairs = await Promise.all(productIds.map(async (id) => [id, await stockOf(id)] as const));
    return new Map(pairs);
  }

  const entries = (productId: string) => ledger.find({ productId }).sort({ seq: 1 }).toArray();
  const orderEntries = (orderId: string, kind: MovementKind) =>
    ledger.find({ orderId, kind }).sort({ productId: 1 }).toArray();

  return { append, headOf, stockOf, stocks, entries, orderEntries };
}
