import { ErrorCode } from '../contracts/problem.js';
import { ProblemError } from '../lib/problem.js';

export type Clock = () => number;

/** Seconds a client should wait; a 429 always carries at least 1. */
export const rateLimited = (retryAfterSeconds: number, detail: string) =>
  new ProblemError(
    429,
    ErrorCode.RATE_LIMITED,
    detail,
    { retryAfter: retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );

const MAX_KEYS = 50_000;

/**
 * At most `limit` attempts per key in any `windowMs` (a sliding log: no burst at a window boundary, and
 * exactly "N per minute" as the contract words it). Reserved before the attempt runs so parallel attempts
 * cannot exceed the budget; `refund` gives back one that turned out not to count (a login that
 * succeeded). `limit` 0 turns it off.
 */
export function createSlidingWindow(limit: number, windowMs: number, clock: Clock) {
  const attempts = new Map<string, number[]>();
  /** The key's attempts still in the window, oldest first (expired ones dropped in place). */
  const recent = (key: string, now: number): number[] => {
    const log = attempts.get(key) ?? [];
    let expired = 0;
    while (expired < log.length && log[expired]! <= now - windowMs) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length === 0) attempts.delete(key);
    return log;
  };
  return {
    /** Records an attempt and returns 0, or returns the seconds to wait (recording nothing). */
    reserve(key: string): number {
      if (limit <= 0) return 0;
      const now = clock();
      if (attempts.size >= MAX_KEYS) for (const k of [...attempts.keys()]) recent(k, now);
      const log = recent(key, now);
      if (log.length >= limit) {
        const oldest = log[log.length - limit] ?? now;
        return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      }
      log.push(now);
      attempts.set(key, log);
      return 0;
    },
    refund(key: string): void {
      const kept = attempts.get(key);
      kept?.pop();
      if (kept?.length === 0) attempts.delete(key);
    },
  };
}

/** One budget per key, in this process or shared: every gateway limit speaks this. */
export interface Limiter {
  /** Takes one point: 0 when allowed, else the seconds to wait. Rejects when its store cannot be reached. */
  take(key: string): Promise<number>;
  /** Gives back a point `take` granted. */
  refund(key: string): Promise<void>;
}

export function memorySlidingWindow(limit: number, windowMs: number, clock: Clock): Limiter {
  const window = createSlidingWindow(limit, windowMs, clock);
  return { take: async (key) => window.reserve(key), refund: async (key) => window.refund(key) };
}
