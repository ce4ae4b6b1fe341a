import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { GatewayEnv } from '../context.js';
import type { VerifyToken } from './auth.js';

export interface CodecAuthOptions {
  verifyToken: VerifyToken;
  /** The shared service credential (SERVICE_TOKEN): tools and services decode with it. */
  serviceToken: string;
  /** Development only (refused in production): the dev server's Web UI has no login to send a token from. */
  allowAnonymous?: boolean;
}

const sameSecret = (a: string, b: string) => {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The codec server decrypts every payload: only an admin's access token or the service credential may use it. */
export function codecAuth({
  verifyToken,
  serviceToken,
  allowAnonymous = false,
}: CodecAuthOptions): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const token = match?.[1];
    if (!token) {
      if (allowAnonymous) return next();
      throw new ProblemError(
        401,
        ErrorCode.UNAUTHORIZED,
        'The codec server needs an admin access token or the service credential',
        {},
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    if (sameSecret(token, serviceToken)) return next();
    const caller = await verifyToken(token);
    if (caller.role !== 'admin')
      throw new ProblemError(403, ErrorCode.FORBIDDEN, 'The codec server is for admins only');
    c.set('caller', caller);
    await next();
  };
}
