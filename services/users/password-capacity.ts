import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { PasswordHasher } from './passwords.js';

export interface PasswordCapacity {
  /** Hashes and verifies running at once (each one argon2id: ~20 MiB and one core for tens of ms). */
  concurrent: number;
  /** Calls allowed to wait for a slot; one more is refused at once. */
  queued: number;
  /** A call that waited longer for its slot is refused without hashing: its caller (the gateway, 5 s) may have given up. */
  maxWaitMs: number;
}

/** Two cores: a verify on each; a burst of sign-ups waits its turn, but never longer than a second. */
export const DEFAULT_PASSWORD_CAPACITY: PasswordCapacity = { concurrent: 2, queued: 64, maxWaitMs: 1000 };

const RETRY_AFTER_SECONDS = 1;

const overloaded = () =>
  new ProblemError(
    503,
    ErrorCode.OVERLOADED,
    'Too many sign-ins and registrations at once; try again shortly',
    {},
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );

/**
 * Bounds the password work of the service: a flood of logins (an unknown email costs a full verify,
 * against enumeration) waits in a short queue, for a short time, or is refused with 503 OVERLOADED before
 * any hashing, instead of queueing on libuv's threads until every caller times out and opens the
 * gateway's breaker for every users route.
 */
export function limitPasswordWork(hasher: PasswordHasher, capacity: PasswordCapacity): PasswordHasher {
  const slots = bulkhead(capacity.concurrent, capacity.queued);
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    const queuedAt = performance.now();
    try {
      return await slots.execute(() => {
        if (performance.now() - queuedAt > capacity.maxWaitMs) throw overloaded();
        return work();
      });
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw overloaded();
      throw error;
    }
  };
  return {
    hash: (password) => bounded(() => hasher.hash(password)),
    verify: (passwordHash, password) => bounded(() => hasher.verify(passwordHash, password)),
    verifyAgainstDummy: (password) => bounded(() => hasher.verifyAgainstDummy(password)),
  };
}
