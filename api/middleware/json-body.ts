import type { MiddlewareHandler } from 'hono';

// The strictest JSON media type the validators accept (@hono/zod-openapi's): anything else is rewritten.
const ACCEPTED_JSON_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * JSON is the only body format of the API, so every body is read as JSON whatever media type it was
 * sent with (fetch sends text/plain and curl -d sends form encoding unless told otherwise): content
 * that is not JSON gets 400 MALFORMED_JSON, as the contract says. A JSON type the validators would refuse
on a technicality (`application/json ; charset=utf-8`, a trailing `;`) is read as JSON too, never 415.
 */
export function jsonBody(): MiddlewareHandler {
  return async function assumeJsonBody(c, next) {
    const type = c.req.header('content-type') ?? '';
    const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && !ACCEPTED_JSON_TYPE.test(type)) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw, { headers });
    }
    await next();
  };
}
