/** Exponential delays with jitter (each between half and all of the doubled delay), capped at `maxMs`. */
export function exponentialBackoff(initialMs: number, maxMs: number) {
  let attempt = 0;
  return {
    next() {
      attempt += 1;
      const base = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
      return Math.round(base / 2 + (Math.random() * base) / 2);
    },
    reset: () => void (attempt = 0),
  };
}

/**
 * A sleep that `wake()` cuts short, remembered when nobody sleeps (the next sleep returns at once). A
 * backoff after a failure is cut only by `wake(true)`: new events must not hammer a broker that is down.
 */
export function wakeableSleep() {
  let sleeper: { done: () => void; backoff: boolean } | undefined;
  let pending: 'any' | 'idle' | undefined;
  return {
    sleep(ms: number, backoff: boolean): Promise<void> {
      const woken = pending === 'any' || (pending === 'idle' && !backoff);
      pending = undefined;
      if (woken) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          sleeper = undefined;
          resolve();
        }
        sleeper = { done, backoff };
      });
    },
    wake(evenBackoff: boolean): void {
      if (sleeper) {
        if (evenBackoff || !sleeper.backoff) sleeper.done();
      } else if (evenBackoff) pending = 'any';
      else pending ??= 'idle';
    },
  };
}
