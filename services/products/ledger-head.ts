import type { Collection } from 'mongodb';
import type { LedgerDoc } from './schema.js';

/**
 * Finds a product's latest ledger entry with equality lookups on (productId, seq) only.
 * FerretDB does not push a sort on `seq` down to PostgreSQL, so `sort({seq:-1}).limit(1)` reads the
 * product's whole ledger; equality lookups hit the unique index. Seqs of a product are gap-free from 1
 * (each insert takes latest+1 under a unique index), so "seq k exists" is monotone in k and a galloping
 * search from the last entry this process saw is exact: one lookup when nothing changed, O(log gap) otherwise.
 */
export function createHeadFinder(ledger: Collection<LedgerDoc>) {
  const heads = new Map<string, LedgerDoc>();
  const at = (productId: string, seq: number) => ledger.findOne({ productId, seq });

  const remember = (entry: LedgerDoc) => {
    if ((heads.get(entry.productId)?.seq ?? 0) < entry.seq) heads.set(entry.productId, entry);
  };

  async function latest(productId: string): Promise<LedgerDoc | null> {
    let known = heads.get(productId) ?? null;
    let step = 1;
    let missing: number;
    for (;;) {
      const seq = (known?.seq ?? 0) + step;
      const found = await at(productId, seq);
      if (!found) {
        missing = seq;
        break;
      }
      known = found;
      step *= 2;
    }
    let low = known?.seq ?? 0;
    while (missing - low > 1) {
      const mid = Math.floor((low + missing) / 2);
      const found = await at(productId, mid);
      if (found) [known, low] = [found, mid];
      else missing = mid;
    }
    if (known) remember(known);
    return known;
  }

  /** The latest entry this process wrote or saw, without a lookup; it may be stale. */
  const known = (productId: string) => heads.get(productId);

  return Object.assign(latest, { remember, known });
}
