import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeadersOptions {
  /** Origins allowed to call the API from a browser; `*` for any; empty: no CORS headers at all. */
  corsOrigins?: string[];
}

/** Hardening headers on every response, plus CORS for the allowed origins. */
export function securityHeaders({ corsOrigins = [] }: SecurityHeadersOptions = {}): MiddlewareHandler[] {
  const middleware: MiddlewareHandler[] = [secureHeaders()];
  if (corsOrigins.length > 0) {
    middleware.push(
      cors({
        origin: corsOrigins.includes('*') ? '*' : corsOrigins,
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'If-Match', 'If-None-Match'],
        exposeHeaders: ['X-Request-Id', 'Location', 'Retry-After', 'ETag'],
        maxAge: 600,
      }),
    );
  }
  return middleware;
}
