import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../contracts/problem.js';
import { ProblemError, problemResponse } from './problem.js';

const SERVICE_AUTH_HEADER = 'authorization';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Internal endpoints answer only callers presenting the shared service credential. */
export function serviceAuth(token: string): MiddlewareHandler {
  const expected = `Bearer ${token}`;
  return async (c, next) => {
    const presented = c.req.header(SERVICE_AUTH_HEADER) ?? '';
    if (!safeEqual(presented, expected)) {
      return problemResponse(c, new ProblemError(401, ErrorCode.UNAUTHORIZED, 'Internal service credentials required'));
    }
    await next();
  };
}
