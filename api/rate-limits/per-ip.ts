import type { Context, MiddlewareHandler } from 'hono';
import type { IncomingMessage } from 'node:http';
import { rateLimited, type Limiter } from './limiter.js';

export interface RateLimitOptions {
  /** One point per request, keyed by client address (in memory or shared by every replica). */
  limiter: Limiter;
  /** How the client address is found; default: the socket's peer (see `clientIpResolver`). */
  clientIp?: (c: Context) => string;
}

/** The socket's peer address; X-Forwarded-For only behind a proxy we trust (its last hop is what the proxy saw). */
export function clientIpResolver(trustProxy: boolean) {
  return (c: Context): string => {
    if (trustProxy) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean);
      const last = hops.at(-1);
      if (last) return last;
    }
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return incoming?.socket?.remoteAddress ?? 'unknown';
  };
}

/** A budget per client address: over the limit → 429 with Retry-After. */
export function rateLimit({ limiter, clientIp = clientIpResolver(false) }: RateLimitOptions) {
  const middleware: MiddlewareHandler = async function ipRateLimit(c, next) {
    const wait = await limiter.take(clientIp(c));
    if (wait > 0) throw rateLimited(wait, 'Too many requests from this address');
    await next();
  };
  return middleware;
}
