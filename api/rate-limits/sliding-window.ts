import type { Clock, Limiter } from './limiter.js';
import { createRecencyMap } from './recency-map.js';

/** Keys each in-memory limit remembers unless told otherwise (RATE_LIMIT_MAX_KEYS). */
export const DEFAULT_MAX_KEYS = 50_000;
/** Keys whose window has passed, dropped per call: more than a call adds, so they never pile up. */
const EXPIRED_DROPPED_PER_CALL = 2;

/**
 * At most `limit` attempts per key in any `windowMs` (a sliding log: no burst at a window boundary, and
 * exactly "N per minute" as the contract words it). Reserved before the attempt runs so parallel attempts
 * cannot exceed the budget; `refund` gives back one that turned out not to count (a login that
 * succeeded). `limit` 0 turns it off. Holds at most `maxKeys` keys, each call O(1) amortized.
 */
export function createSlidingWindow(limit: number, windowMs: number, clock: Clock, maxKeys = DEFAULT_MAX_KEYS) {
  const logs = createRecencyMap<number[]>(); // each key's attempts in the window, oldest first
  const expired = (log: number[], now: number) => (log.at(-1) ?? -Infinity) <= now - windowMs;
  const dropExpired = (now: number) => {
    for (let i = 0; i < EXPIRED_DROPPED_PER_CALL; i++) {
      const oldest = logs.oldest();
      if (!oldest || !expired(oldest.value, now)) return;
      logs.delete(oldest.key);
    }
  };
  return {
    /** Records an attempt and returns 0, or returns the seconds to wait (recording nothing). */
    reserve(key: string): number {
      if (limit <= 0) return 0;
      const now = clock();
      dropExpired(now);
      const log = logs.use(key);
      if (!log) {
        logs.set(key, [now]);
        // The least recently used key loses its count early: to reach a key an attacker must first send
        // `maxKeys` requests with other keys (which the per-IP limit slows down), and memory stays bounded.
        if (logs.size() > maxKeys) logs.delete(logs.oldest()!.key);
        return 0;
      }
      let gone = 0;
      while (gone < log.length && log[gone]! <= now - windowMs) gone++;
      if (gone > 0) log.splice(0, gone);
      if (log.length >= limit) {
        const oldest = log[log.length - limit]!;
        return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      }
      log.push(now);
      return 0;
    },
    refund(key: string): void {
      const log = logs.peek(key);
      log?.pop();
      if (log?.length === 0) logs.delete(key);
    },
    /** How many keys it holds now (at most `maxKeys`). */
    keyCount: () => logs.size(),
  };
}

export function memorySlidingWindow(limit: number, windowMs: number, clock: Clock, maxKeys?: number): Limiter {
  const window = createSlidingWindow(limit, windowMs, clock, maxKeys);
  return { take: async (key) => window.reserve(key), refund: async (key) => window.refund(key) };
}
