import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.js';

export interface RequestIdOptions {
  /** Every log line of the request goes through a child of this logger that carries the id. */
  logger: Logger;
  /** Incoming ids that do not match are replaced (they end up in logs and headers). */
  valid?: RegExp;
  generate?: () => string;
}

export type RequestIdEnv = { Variables: { requestId: string; log: Logger } };

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a well-formed incoming `X-Request-Id` or makes one; sets `requestId` and `log` on the context. */
export function requestId({
  logger,
  valid = VALID_REQUEST_ID,
  generate = () => crypto.randomUUID(),
}: RequestIdOptions): MiddlewareHandler<RequestIdEnv> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && valid.test(incoming) ? incoming : generate();
    c.set('requestId', id);
    c.set('log', logger.child({ requestId: id }));
    c.header('X-Request-Id', id);
    await next();
    // Error and not-found handlers build fresh responses: the id goes on whichever one leaves.
    c.res.headers.set('X-Request-Id', id);
  };
}
