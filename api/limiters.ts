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
  };
}

/**
 * Counts failures per key in a sliding window: once `limit` failures sit in the window, every
 * attempt is refused until the oldest one leaves it. `limit` 0 turns it off.
 */
export function createFailureWindow(limit: number, windowMs: number, clock: Clock) {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (failures.get(key) ?? []).filter((at) => at > now - windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    /** Seconds to wait when the key is locked out, else 0. */
    check(key: string): number {
      if (limit <= 0) return 0;
      const now = clock();
      const kept = recent(key, now);
      if (kept.length < limit) return 0;
      const oldest = kept[kept.length - limit] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    recordFailure(key: string): void {
      if (limit <= 0) return;
      const now = clock();
      if (failures.size >= MAX_KEYS) for (const k of [...failures.keys()]) recent(k, now);
      // Only the newest `limit` failures can ever matter.
      failures.set(key, [...recent(key, now), now].slice(-limit));
    },
  };
}
