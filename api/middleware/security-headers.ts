import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeadersOptions {
  /** Origins allowed to call the API from a browser; `*` for any; empty: no CORS headers at all. */
  corsOrigins?: string[];
  /** Origins allowed to call the codec server (/codec/*) with credentials: the Temporal Web UI's. */
  codecOrigins?: string[];
}

const CODEC_PATH = /^\/codec\//;

/** Hardening headers on every response, plus CORS for the allowed origins. */
export function securityHeaders({
  corsOrigins = [],
  codecOrigins = [],
}: SecurityHeadersOptions = {}): MiddlewareHandler[] {
  const middleware: MiddlewareHandler[] = [secureHeaders()];
  if (codecOrigins.length > 0) {
    const codecCors = cors({
      origin: codecOrigins,
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
      credentials: true,
      maxAge: 600,
    });
    middleware.push((c, next) => (CODEC_PATH.test(c.req.path) ? codecCors(c, next) : next()));
  }
  if (corsOrigins.length > 0) {
    const apiCors = cors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'If-Match', 'If-None-Match'],
      exposeHeaders: ['X-Request-Id', 'Location', 'Retry-After', 'ETag'],
      maxAge: 600,
    });
    middleware.push((c, next) => (CODEC_PATH.test(c.req.path) ? next() : apiCors(c, next)));
  }
  return middleware;
}
