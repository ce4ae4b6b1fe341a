import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { HTTPException } from 'hono/http-exception';
import { ErrorCode, type Problem } from '../contracts/problem.js';
import type { Logger } from '../lib/logger.js';
import { ProblemError, toProblemError } from '../lib/problem.js';
import { ServiceOverloadedError, ServiceRejectedError, ServiceUnavailableError } from '../lib/service-transport.js';

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code']);

const unavailable = (what: string) =>
  new ProblemError(
    503,
    ErrorCode.SERVICE_UNAVAILABLE,
    `${what} is unavailable; try again shortly`,
    {},
    { 'Retry-After': '1' },
  );

/** A service's 4xx problem keeps its status, code and extensions (e.g. errors[], productId). */
function fromRejection(error: ServiceRejectedError, log: Logger): ProblemError {
  const problem: Problem = error.problem;
  // The service refused our service credential: a gateway misconfiguration, not the client's fault.
  if (error.status === 401 && problem.code === ErrorCode.UNAUTHORIZED) {
    log.error({ upstream: error.service }, 'service rejected the gateway credential');
    return unavailable(error.service);
  }
  const extensions = Object.fromEntries(Object.entries(problem).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
  // A service's limit (429) says how long to wait in its body; the client reads it from Retry-After.
  const headers =
    error.status === 429 ? { 'Retry-After': String(Number(extensions.retryAfterSeconds ?? 5)) } : undefined;
  return new ProblemError(
    error.status,
    problem.code,
    problem.detail ?? `${error.service} refused the request`,
    extensions,
    headers,
  );
}

/** The one place where anything thrown while serving a request becomes a problem. */
export function toGatewayProblem(error: unknown, log: Logger): ProblemError | undefined {
  if (error instanceof ServiceRejectedError) return fromRejection(error, log);
  // The service shed load and said when to come back: the client gets the same answer.
  if (error instanceof ServiceOverloadedError)
    return new ProblemError(503, ErrorCode.OVERLOADED, error.problem.detail, {}, { 'Retry-After': error.retryAfter });
  if (error instanceof ServiceUnavailableError) {
    log.warn({ upstream: error.service, err: error.message }, 'upstream unavailable');
    return unavailable(error.service);
  }
  if (error instanceof BrokenCircuitError || error instanceof TaskCancelledError)
    return unavailable('An upstream service');
  if (error instanceof HTTPException && error.status === 415) {
    return new ProblemError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the body as application/json');
  }
  return toProblemError(error);
}
