import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError, problemResponse } from '../../lib/problem.js';

export interface BodyLimitOptions {
  maxBytes?: number;
}

/**
 * Bodies over `maxBytes` (by Content-Length, or counted while streaming) get a 413 problem. The
 * connection is closed after it when the rest of the body was never read (lib/http-server.ts).
 */
export function bodyLimit({ maxBytes = 1_048_576 }: BodyLimitOptions = {}): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problemResponse(
        c,
        new ProblemError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body exceeds ${maxBytes} bytes`),
      ),
  });
}
