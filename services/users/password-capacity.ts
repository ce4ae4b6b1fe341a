import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { PasswordHasher } from './passwords.js';

export interface PasswordCapacity {
  /** Hashes and verifies running at once (each one argon2id: ~20 MiB and one core for tens of ms). */
  concurrent: number;
  /** Calls allowed to wait for a slot; one more is refused at once. */
  queued: number;
}

/** Two cores: a verify on each; 64 waiting verifies (~40 ms each on a busy core) drain in under 1.5 s, well inside the gateway's 5 s upstream timeout. */
export const DEFAULT_PASSWORD_CAPACITY: PasswordCapacity = { concurrent: 2, queued: 64 };

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
 * against enumeration) waits in a short queue or is refused with 503 OVERLOADED before any hashing,
 * instead of queueing without bound on libuv's threads until every caller times out.
 */
export function limitPasswordWork(hasher: PasswordHasher, capacity: PasswordCapacity): PasswordHasher {
  const slots = bulkhead(capacity.concurrent, capacity.queued);
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await slots.execute(work);
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
