import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Api, PathParams, RouteDef } from '../contracts/api.js';
import { ErrorCode } from '../contracts/problem.js';
import { ProblemError, validationProblem, zodIssues } from './problem.js';
import type { AppEnv } from './service-app.js';

const IdempotencyKey = z.string().min(1).max(255);

type KeyOf<Use> = [Use] extends [never] ? undefined : [Use] extends ['required'] ? string : string | undefined;
type Output<S> = [Exclude<S, undefined>] extends [never] ? undefined : z.output<Exclude<S, undefined>>;

/** What a handler receives: the validated parts of the request. */
export interface RouteRequest<R extends RouteDef> {
  params: R['params'] extends z.ZodObject ? z.output<R['params']> : PathParams<R>;
  query: Output<R['query']>;
  body: Output<R['body']>;
  idempotencyKey: KeyOf<Exclude<R['idempotencyKey'], undefined>>;
  requestId: string;
}

/** A handler's answer when it needs another status or headers than the route's defaults. */
export interface Reply<T> {
  reply: true;
  body: T;
  /** 304 answers the headers without a body. */
  status?: ContentfulStatusCode | 304;
  headers?: Record<string, string>;
}
export const reply = <T>(body: T, options: Omit<Reply<T>, 'reply' | 'body'> = {}): Reply<T> => ({
  reply: true,
  body,
  ...options,
});

type Answer<R extends RouteDef> = z.input<R['response']> | Reply<z.input<R['response']>>;
export type RouteHandler<R extends RouteDef> = (request: RouteRequest<R>, c: Context<AppEnv>) => Promise<Answer<R>>;
export type Handlers<A extends Api> = { [K in keyof A]: RouteHandler<A[K]> };

const isReply = (value: unknown): value is Reply<unknown> =>
  typeof value === 'object' && value !== null && (value as { reply?: unknown }).reply === true;

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(zodIssues(parsed.error));
  return parsed.data;
}

function idempotencyKeyOf(c: Context, mode: RouteDef['idempotencyKey']): string | undefined {
  const raw = c.req.header('idempotency-key');
  if (mode === undefined || (mode === 'optional' && raw === undefined)) return undefined;
  const parsed = IdempotencyKey.safeParse(raw);
  if (!parsed.success) {
    const message = mode === 'required' ? 'header required, 1–255 characters' : '1–255 characters';
    throw validationProblem([{ path: 'Idempotency-Key', message }]);
  }
  return parsed.data;
}

// An empty body is "no body" only where the route allows none; otherwise it is malformed JSON.
async function bodyOf(c: Context, schema: z.ZodType): Promise<unknown> {
  const text = await c.req.text();
  const raw: unknown = text === '' && schema.safeParse(undefined).success ? undefined : JSON.parse(text);
  return parse(schema, raw);
}

async function readRequest(c: Context<AppEnv>, def: RouteDef): Promise<RouteRequest<RouteDef>> {
  const params = def.params ? parse(def.params, c.req.param()) : c.req.param();
  const idempotencyKey = idempotencyKeyOf(c, def.idempotencyKey);
  const query = def.query ? parse(def.query, c.req.query()) : undefined;
  const body = def.body ? await bodyOf(c, def.body) : undefined;
  return { params, query, body, idempotencyKey, requestId: c.get('requestId') };
}

export interface ServeOptions {
  /** Names the dependency when an error means it is unreachable: answered 503, never 500. */
  outage?: (error: unknown) => string | undefined;
  /** Names a dependency that is not ready yet: every route answers 503 until it returns undefined. */
  unavailable?: () => string | undefined;
}

const dependencyUnavailable = (name: string) =>
  new ProblemError(503, ErrorCode.SERVICE_UNAVAILABLE, `${name} is unavailable; retry`, {}, { 'Retry-After': '1' });

async function answerOf(
  c: Context<AppEnv>,
  def: RouteDef,
  handler: RouteHandler<RouteDef>,
  { outage, unavailable }: ServeOptions,
) {
  const notReady = unavailable?.();
  if (notReady !== undefined) throw dependencyUnavailable(notReady);
  try {
    return await handler(await readRequest(c, def), c);
  } catch (error) {
    const down = outage?.(error);
    if (down === undefined) throw error;
    throw dependencyUnavailable(down);
  }
}

function register(app: Hono<AppEnv>, def: RouteDef, handler: RouteHandler<RouteDef>, options: ServeOptions): void {
  app.on(def.method, def.path, async (c) => {
    const answer = await answerOf(c, def, handler, options);
    if (!isReply(answer)) return c.json(answer as object, (def.status ?? 200) as ContentfulStatusCode);
    for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
    if (answer.status === 304) return c.body(null, 304);
    return c.json(answer.body as object, answer.status ?? ((def.status ?? 200) as ContentfulStatusCode));
  });
}

/** Serves every route of a contract: validates params, query, body and Idempotency-Key, then calls its handler. */
export function serveApi<A extends Api>(
  app: Hono<AppEnv>,
  api: A,
  handlers: Handlers<A>,
  options: ServeOptions = {},
): void {
  serveRoutes(app, api, handlers, options);
}

/** Serves the routes given (test fakes implement only what their tests call). */
export function serveRoutes<A extends Api>(
  app: Hono<AppEnv>,
  api: A,
  handlers: Partial<Handlers<A>>,
  options: ServeOptions = {},
): void {
  for (const [name, def] of Object.entries(api)) {
    const handler = handlers[name as keyof A];
    if (handler) register(app, def, handler, options);
  }
}
