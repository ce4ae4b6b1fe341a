import type { MiddlewareHandler } from 'hono';

/** `?limit=&cursor=` (the contract's own notation) means "not given": empty query values are dropped. */
export function emptyQuery(): MiddlewareHandler {
  return async function dropEmptyQueryValues(c, next) {
    const url = new URL(c.req.url);
    const empty = [...url.searchParams.entries()].filter(([, value]) => value === '').map(([key]) => key);
    if (empty.length > 0) {
      for (const key of empty) url.searchParams.delete(key);
      c.req.raw = new Request(url, c.req.raw);
    }
    await next();
  };
}
