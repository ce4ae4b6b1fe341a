import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';

/** Milliseconds since the epoch; tests move time forward. */
export type Clock = () => number;

/** One budget per key, in this process or shared: every gateway limit speaks this. */
export interface Limiter {
  /** Takes one point: 0 when allowed, else the seconds to wait. Rejects when its store cannot be reached. */
  take(key: string): Promise<number>;
  /** Gives back a point `take` granted. */
  refund(key: string): Promise<void>;
}

/** Seconds a client should wait; a 429 always carries at least 1. */
export const rateLimited = (retryAfterSeconds: number, detail: string) =>
  new ProblemError(
    429,
    ErrorCode.RATE_LIMITED,
    detail,
    { retryAfter: retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
