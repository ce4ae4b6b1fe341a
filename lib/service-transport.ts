import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { sendByFetch, sendThrough, type HeaderReader, type HttpAnswer } from './http-exchange.js';
import { ProblemSchema } from '../contracts/problem-schema.js';
import { ErrorCode, type Problem } from '../contracts/problem.js';

/** A service answered with a 4xx problem: a business refusal or a bad request. */
export class ServiceRejectedError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${service} refused: ${problem.code} (${status}) ${problem.detail}`);
    this.name = 'ServiceRejectedError';
  }
  get code(): string {
    return this.problem.code;
  }
}

/** The service could not be reached, timed out, or failed with a 5xx: worth retrying. */
export class ServiceUnavailableError extends Error {
  /** True when the service is up but shed this call (see ServiceOverloadedError). */
  readonly overloaded: boolean = false;
  constructor(
    readonly service: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${service} unavailable: ${message}`);
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * The service refused to queue more work (503 `OVERLOADED`): it is up and answering, so retry after
 * `retryAfter` seconds, but it is no outage and opens no circuit.
 */
export class ServiceOverloadedError extends ServiceUnavailableError {
  override readonly overloaded = true;
  constructor(
    service: string,
    readonly problem: Problem,
    readonly retryAfter: string,
  ) {
    super(service, `overloaded: ${problem.detail}`, 503);
    this.name = 'ServiceOverloadedError';
  }
}

/** The service answered 304 Not Modified to a conditional GET; `etag` is the current tag. */
export class NotModifiedError extends Error {
  constructor(
    readonly service: string,
    readonly etag: string | undefined,
  ) {
    super(`${service} answered 304 Not Modified`);
    this.name = 'NotModifiedError';
  }
}

export interface ServiceTransportOptions {
  service: string;
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** Keep-alive connections shared by the process's clients (lib/http-exchange.ts), opened by main.ts. */
  dispatcher?: Dispatcher;
  /** Used when there is no dispatcher: Node's fetch by default, or an app's handler in tests. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  requestId?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Sees the headers of every 2xx/3xx answer (e.g. its ETag). */
  onHeaders?: (headers: HeaderReader) => void;
}

export interface ServiceTransport {
  call<T extends z.ZodType>(method: string, path: string, schema: T, options?: CallOptions): Promise<z.infer<T>>;
}

/** A JSON-over-HTTP client for one internal service, over the dispatcher's keep-alive connections when given. */
export function createServiceTransport(options: ServiceTransportOptions): ServiceTransport {
  const { service, baseUrl, token, timeoutMs = 5000 } = options;
  const send = options.dispatcher ? sendThrough(options.dispatcher) : sendByFetch(options.fetch ?? fetch);
  return {
    async call(method, path, schema, call = {}) {
      const url = new URL(path, baseUrl);
      for (const [key, value] of Object.entries(call.query ?? {})) {
        if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...call.headers,
      };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
      if (call.requestId) headers['x-request-id'] = call.requestId;
      let answer: HttpAnswer;
      try {
        const body = call.body === undefined ? undefined : JSON.stringify(call.body);
        answer = await send({ method, url, headers, body, timeoutMs: call.timeoutMs ?? timeoutMs });
      } catch (error) {
        throw new ServiceUnavailableError(service, (error as Error).message);
      }
      const { status, text } = answer;
      if (status === 304) throw new NotModifiedError(service, answer.headers.get('etag') ?? undefined);
      const overload = overloadOf(answer);
      if (overload) throw new ServiceOverloadedError(service, overload.problem, overload.retryAfter);
      if (status >= 500) throw new ServiceUnavailableError(service, `HTTP ${status} ${text.slice(0, 200)}`, status);
      const json: unknown = text ? safeJson(text) : undefined;
      if (status >= 400) throw new ServiceRejectedError(service, status, asProblem(json, status));
      call.onHeaders?.(answer.headers);
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new ServiceUnavailableError(
          service,
          `unexpected response shape for ${method} ${path}: ${parsed.error.message}`,
        );
      return parsed.data;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function overloadOf({ status, headers, text }: HttpAnswer) {
  if (status !== 503) return undefined;
  const problem = ProblemSchema.safeParse(safeJson(text));
  if (!problem.success || problem.data.code !== ErrorCode.OVERLOADED) return undefined;
  const retryAfter = headers.get('retry-after') ?? '';
  return { problem: problem.data, retryAfter: /^\d{1,6}$/.test(retryAfter) ? retryAfter : '1' };
}

function asProblem(json: unknown, status: number): Problem {
  const parsed = ProblemSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return {
    type: 'about:blank',
    title: 'Error',
    status,
    detail: `HTTP ${status}`,
    code: status === 404 ? ErrorCode.NOT_FOUND : 'UNKNOWN',
  };
}
