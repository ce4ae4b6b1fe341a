import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(next: T): void;
  subscribe(listener: () => void): () => void;
}

/** A value shared by components; optionally kept in localStorage under `key`. */
export function createStore<T>(initial: T, key?: string): Store<T> {
  let value = initial;
  if (key) {
    try {
      const saved = localStorage.getItem(key);
      if (saved) value = JSON.parse(saved) as T;
    } catch {
      // unreadable storage: start empty
    }
  }
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      if (key) localStorage.setItem(key, JSON.stringify(next));
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(() => setValue(store.get()));
  }, [store]);
  return value;
}
