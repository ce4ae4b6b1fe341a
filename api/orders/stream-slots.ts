import { rateLimited } from '../rate-limits/limiter.js';

export interface StreamSlotLimits {
  /** Open streams one customer may hold (0: no cap). */
  perCustomer: number;
  /** Open streams this gateway holds in all (0: no cap). */
  perGateway: number;
}

/** A stream has no known end, so a refused client is told a short wait (the storefront polls meanwhile). */
const RETRY_AFTER_SECONDS = 5;

/**
 * Counts the live order streams this gateway holds, per customer and in all: each re-reads its order every
 * refresh, so their number bounds the gateway's work. `open` takes a slot or throws 429; the returned function
 * gives it back (once, however often it is called).
 */
export function createStreamSlots(limits: StreamSlotLimits) {
  const byCustomer = new Map<string, number>();
  let total = 0;
  const full = (count: number, cap: number) => cap > 0 && count >= cap;
  return {
    open(customerId: string): () => void {
      if (full(total, limits.perGateway))
        throw rateLimited(RETRY_AFTER_SECONDS, 'Too many live order streams on this server; read the order instead');
      const held = byCustomer.get(customerId) ?? 0;
      if (full(held, limits.perCustomer))
        throw rateLimited(RETRY_AFTER_SECONDS, 'Too many live order streams open for this account; close one first');
      byCustomer.set(customerId, held + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byCustomer.get(customerId) ?? 1) - 1;
        if (left === 0) byCustomer.delete(customerId);
        else byCustomer.set(customerId, left);
      };
    },
    /** Streams open now, in all. */
    openCount: () => total,
  };
}

export type StreamSlots = ReturnType<typeof createStreamSlots>;
