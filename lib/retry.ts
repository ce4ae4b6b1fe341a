import type { Logger } from './logger.js';

export interface RetryOptions {
  /** What is being waited for, in log lines. */
  what: string;
  logger: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Gives up (rejecting with the last error) once aborted. */
  signal?: AbortSignal;
}

/**
 * Calls `attempt` until it succeeds, waiting with doubling delays in between: how a process waits for
 * a dependency (Temporal, a database) that is not up yet instead of exiting.
 */
export async function retryUntilUp<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { what, logger, signal } = options;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  let delayMs = options.initialDelayMs ?? 250;
  for (let tries = 1; ; tries++) {
    try {
      const result = await attempt();
      if (tries > 1) logger.info({ what, tries }, `${what} is up`);
      return result;
    } catch (error) {
      if (signal?.aborted) throw error;
      logger.warn({ what, tries, retryInMs: delayMs, err: (error as Error).message }, `${what} unreachable; retrying`);
      await sleep(delayMs, signal);
      if (signal?.aborted) throw error;
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
