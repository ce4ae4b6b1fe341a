export type KeyedMutex = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/** Runs tasks with the same key one at a time, in arrival order; different keys run in parallel. */
export function createKeyedMutex(): KeyedMutex & { size: () => number } {
  const tails = new Map<string, Promise<void>>();
  const run = async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => turn);
    tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
  return Object.assign(run, { size: () => tails.size });
}

/** No serialisation at all: lets tests prove correctness does not depend on the mutex. */
export const noMutex: KeyedMutex = (_key, task) => task();
