interface Entry<V> {
  key: string;
  value: V;
  older: Entry<V> | undefined;
  newer: Entry<V> | undefined;
}

/**
 * A map that knows the order its keys were last used in, so the least recently used one is found and dropped in
 * O(1). (A plain Map's first key is not: V8 walks over every deleted slot before it until the table is rehashed.)
 */
export function createRecencyMap<V>() {
  const entries = new Map<string, Entry<V>>();
  let oldest: Entry<V> | undefined;
  let newest: Entry<V> | undefined;
  const unlink = (entry: Entry<V>) => {
    if (entry.older) entry.older.newer = entry.newer;
    else oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else newest = entry.older;
    entry.older = entry.newer = undefined;
  };
  const append = (entry: Entry<V>) => {
    entry.older = newest;
    if (newest) newest.newer = entry;
    else oldest = entry;
    newest = entry;
  };
  const touch = (entry: Entry<V>) => {
    if (entry === newest) return;
    unlink(entry);
    append(entry);
  };
  return {
    size: () => entries.size,
    /** The key's value, the key becoming the most recently used. */
    use(key: string): V | undefined {
      const entry = entries.get(key);
      if (entry) touch(entry);
      return entry?.value;
    },
    /** The key's value, leaving the order as it is. */
    peek: (key: string): V | undefined => entries.get(key)?.value,
    /** Sets the value; the key becomes the most recently used. */
    set(key: string, value: V): void {
      const entry = entries.get(key);
      if (entry) {
        entry.value = value;
        return touch(entry);
      }
      const added: Entry<V> = { key, value, older: undefined, newer: undefined };
      entries.set(key, added);
      append(added);
    },
    delete(key: string): void {
      const entry = entries.get(key);
      if (!entry) return;
      unlink(entry);
      entries.delete(key);
    },
    /** The least recently used key and its value. */
    oldest: (): Readonly<Pick<Entry<V>, 'key' | 'value'>> | undefined => oldest,
  };
}
