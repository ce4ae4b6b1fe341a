import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import {
  ErrorCode,
  PROBLEM_CONTENT_TYPE,
  problemType,
  type Problem,
  type ValidationIssue,
} from '../contracts/problem.js';
import type { Logger } from './logger.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A typed error that maps one-to-one onto a problem+json response. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(): Problem {
    return {
      type: problemType(this.code),
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
      ...this.extensions,
    };
  }
}

export const notFound = (detail = 'Resource not found') => new ProblemError(404, ErrorCode.NOT_FOUND, detail);

export function zodIssues(error: ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function validationProblem(errors: ValidationIssue[], detail = 'The request is invalid'): ProblemError {
  return new ProblemError(400, ErrorCode.VALIDATION_FAILED, detail, { errors });
}

export function problemResponse(c: Context, error: ProblemError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.body(JSON.stringify(error.toProblem()), error.status as ContentfulStatusCode, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}

/** Converts anything thrown by a route into a problem; unknown errors become an opaque 500. */
export function toProblemError(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof ZodError) return validationProblem(zodIssues(error));
  if (error instanceof SyntaxError)
    return new ProblemError(400, ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON');
  if (error instanceof HTTPException) {
    if (error.status === 413)
      return new ProblemError(413, ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
    if (error.status === 400)
      return new ProblemError(400, ErrorCode.MALFORMED_JSON, error.message || 'Malformed request');
    if (error.status === 401) return new ProblemError(401, ErrorCode.UNAUTHORIZED, error.message || 'Unauthorized');
    return new ProblemError(
      error.status,
      error.status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED,
      error.message,
    );
  }
  return undefined;
}

export function problemErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const problem = toProblemError(error);
    if (problem) return problemResponse(c, problem);
    logger.error({ err: error, path: c.req.path, requestId: c.get('requestId') }, 'unhandled error');
    return problemResponse(c, new ProblemError(500, ErrorCode.INTERNAL, 'An unexpected error occurred'));
  };
}

export const problemNotFoundHandler: NotFoundHandler = (c) =>
  problemResponse(c, new ProblemError(404, ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${c.req.path}`));
