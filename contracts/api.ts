// Routes as data: each internal route is defined once here-style and read by the server (validation),
// the client (typed methods) and the test fakes. Plain TS + zod only.
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type IdempotencyKeyUse = 'required' | 'optional';

export interface RouteDef<
  Path extends string = string,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Response extends z.ZodType = z.ZodType,
  Key extends IdempotencyKeyUse | undefined = IdempotencyKeyUse | undefined,
> {
  method: HttpMethod;
  /** Hono-style template: `/v1/orders/:id`. */
  path: Path;
  /** Server-side check of the path parameters; without it every parameter is a plain string. */
  params?: z.ZodObject | undefined;
  query?: Query;
  body?: Body;
  response: Response;
  /** Success status (default 200). */
  status?: 200 | 201;
  /** Whether the call carries an `Idempotency-Key` header. */
  idempotencyKey?: Key;
}

export type Api = Record<string, RouteDef>;

/** Keeps the literal types of a route (its path template above all). */
export const route = <
  const Path extends string,
  Body extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Response extends z.ZodType = z.ZodType,
  Key extends IdempotencyKeyUse | undefined = undefined,
>(
  def: RouteDef<Path, Body, Query, Response, Key>,
) => def;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type PathParams<R extends RouteDef> = { [K in ParamNames<R['path']>]: string };

type Part<Key extends string, T> = [T] extends [never] ? object : { [K in Key]: T };
type SchemaInput<S> = S extends z.ZodType ? z.input<S> : never;

/** What a caller passes: the path parameters, the query and the body the route declares. */
export type RouteInput<R extends RouteDef> = Part<
  'params',
  [ParamNames<R['path']>] extends [never] ? never : PathParams<R>
> &
  Part<'body', SchemaInput<R['body']>> &
  Part<'query', SchemaInput<R['query']>>;

export type RouteResponse<R extends RouteDef> = z.output<R['response']>;

/** The concrete path of a call: each `:name` replaced by its URI-encoded value. */
export function pathOf(def: Pick<RouteDef, 'path'>, params: Record<string, string> = {}): string {
  return def.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${def.path}`);
    return encodeURIComponent(value);
  });
}
