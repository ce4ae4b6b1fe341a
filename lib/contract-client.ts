import { pathOf, type Api, type RouteDef, type RouteInput, type RouteResponse } from '../contracts/api.js';
import type { HeaderReader } from './http-exchange.js';
import type { ServiceTransport } from './service-transport.js';

/** Per-call metadata sent as headers. */
export interface CallMeta {
  requestId?: string | undefined;
  idempotencyKey?: string | undefined;
  timeoutMs?: number | undefined;
  /** Extra request headers (e.g. If-Match). */
  headers?: Record<string, string> | undefined;
  onHeaders?: ((headers: HeaderReader) => void) | undefined;
}

type HasInput<R extends RouteDef> = keyof RouteInput<R> extends never ? false : true;

/** One typed method per route: `(input, meta)`, where input holds the route's params, query and body. */
export type RouteMethod<R extends RouteDef> =
  HasInput<R> extends true
    ? (input: RouteInput<R>, meta?: CallMeta) => Promise<RouteResponse<R>>
    : (input?: Record<string, never>, meta?: CallMeta) => Promise<RouteResponse<R>>;

export type ContractClient<A extends Api> = { [K in keyof A]: RouteMethod<A[K]> };

interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** The typed client of one service, derived from its contract, over a service transport. */
export function createContractClient<A extends Api>(api: A, transport: ServiceTransport): ContractClient<A> {
  const methods = Object.entries(api).map(([name, def]) => {
    const call = (input: AnyInput = {}, meta: CallMeta = {}) =>
      transport.call(def.method, pathOf(def, input.params), def.response, {
        query: input.query,
        body: input.body,
        requestId: meta.requestId,
        idempotencyKey: meta.idempotencyKey,
        timeoutMs: meta.timeoutMs,
        headers: meta.headers,
        onHeaders: meta.onHeaders,
      });
    return [name, call] as const;
  });
  return Object.fromEntries(methods) as unknown as ContractClient<A>;
}
