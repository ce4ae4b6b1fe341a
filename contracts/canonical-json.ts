// Plain TS, no imports: usable from the gateway, the services and workflow code alike.

/**
 * JSON with object keys sorted at every level, so equal values always serialize (and hash) the same.
 * Like JSON.stringify, an object member whose value is `undefined` is left out (an absent key and an
 * undefined one are the same request) and `undefined` in an array, or on its own, becomes `null`.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
