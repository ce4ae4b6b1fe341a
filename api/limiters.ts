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
 * A token bucket per key: `limit` requests per `windowMs`, refilled continuously, so there is no
 * burst of 2× the limit at a window boundary. `limit` 0 turns it off.
 */
export function createTokenBuckets(limit: number, windowMs: number, clock: Clock) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limit / windowMs;
  const refill = (bucket: { tokens: number; at: number }, now: number) => {
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
  };
  const prune = (now: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= limit) buckets.delete(key);
    }
  };
  return {
    /** Takes one token; returns the seconds to wait when none is left, else 0. */
    take(key: string): number {
      if (limit <= 0) return 0;
      const now = clock();
      if (buckets.size >= MAX_KEYS) prune(now);
      const bucket = buckets.get(key) ?? { tokens: limit, at: now };
      refill(bucket, now);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    refund(key: string): void {
      const bucket = buckets.get(key);
      if (bucket) bucket.tokens = Math.min(limit, bucket.tokens + 1);
    },
  };
}

/**
 * Attempts per key in a sliding window, reserved before the attempt runs so parallel attempts cannot
 * exceed the budget: `reserve` refuses once `limit` attempts sit in the window, `refund` gives back
 * one that turned out not to count (a login that succeeded). `limit` 0 turns it off.
 */
export function createFailureWindow(limit: number, windowMs: number, clock: Clock) {
  const attempts = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (attempts.get(key) ?? []).filter((at) => at > now - windowMs);
    if (kept.length === 0) attempts.delete(key);
    else attempts.set(key, kept);
    return kept;
  };
  return {
    /** Records an attempt and returns 0, or returns the seconds to wait (recording nothing). */
    reserve(key: string): number {
      if (limit <= 0) return 0;
      const now = clock();
      if (attempts.size >= MAX_KEYS) for (const k of [...attempts.keys()]) recent(k, now);
      const kept = recent(key, now);
      if (kept.length >= limit) {
        const oldest = kept[kept.length - limit] ?? now;
        return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      }
      attempts.set(key, [...kept, now]);
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

export function memoryTokenBuckets(limit: number, windowMs: number, clock: Clock): Limiter {
  const buckets = createTokenBuckets(limit, windowMs, clock);
  return { take: async (key) => buckets.take(key), refund: async (key) => buckets.refund(key) };
}

export function memoryFailureWindow(limit: number, windowMs: number, clock: Clock): Limiter {
  const window = createFailureWindow(limit, windowMs, clock);
  return { take: async (key) => window.reserve(key), refund: async (key) => window.refund(key) };
}
