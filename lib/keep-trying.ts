import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.js';

export interface KeepTryingOptions {
  logger: Logger;
  /** What is being attempted, for the log: "connect to FerretDB". */
  what: string;
  delayMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds (or `signal` aborts): a dependency that is down at start-up makes
 * the process wait and report not-ready, never exit.
 */
export async function keepTrying<T>(
  attempt: () => Promise<T>,
  { logger, what, delayMs = 1000, signal }: KeepTryingOptions,
): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw error;
      logger.warn({ err: (error as Error).message, failures, retryInMs: delayMs }, `${what} failed; retrying`);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
