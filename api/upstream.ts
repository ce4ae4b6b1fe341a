import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { z } from 'zod';
import { ordersApi } from '../contracts/orders-api.js';
import { productsApi } from '../contracts/products-api.js';
import { usersApi } from '../contracts/users-api.js';
import type { RouteDef, RouteInput, RouteResponse } from '../contracts/api.js';
import { createContractClient, type CallMeta } from '../lib/contract-client.js';
import { ServiceRejectedError, ServiceUnavailableError, type ServiceTransport } from '../lib/service-transport.js';

// The gateway's view of the services: the contract-derived clients (lib/contract-client.ts), called with the
// request id of the public call, behind a circuit breaker, plus each service's readiness.

type Body<R extends RouteDef> = RouteInput<R> extends { body: infer B } ? B : never;
type Query<R extends RouteDef> = RouteInput<R> extends { query: infer Q } ? Q : never;
type Answer<R extends RouteDef> = Promise<RouteResponse<R>>;

export interface UsersClient {
  register(body: Body<typeof usersApi.register>, requestId: string): Answer<typeof usersApi.register>;
  login(body: Body<typeof usersApi.login>, requestId: string): Answer<typeof usersApi.login>;
  get(id: string, requestId: string): Answer<typeof usersApi.get>;
  ready(): Promise<void>;
}

/** The public request's If-Match / If-None-Match, passed to the service as they came. */
export interface Conditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

/** A service answer with the ETag it carried. */
export interface Tagged<T> {
  body: T;
  etag: string | undefined;
}
type TaggedAnswer<R extends RouteDef> = Promise<Tagged<RouteResponse<R>>>;

export interface ProductsClient {
  list(query: Query<typeof productsApi.list>, requestId: string): Answer<typeof productsApi.list>;
  /** Throws NotModifiedError when `ifNoneMatch` still matches. */
  get(id: string, requestId: string, conditions?: Conditions): TaggedAnswer<typeof productsApi.get>;
  create(body: Body<typeof productsApi.create>, requestId: string): TaggedAnswer<typeof productsApi.create>;
  update(
    id: string,
    body: Body<typeof productsApi.update>,
    requestId: string,
    conditions?: Conditions,
  ): TaggedAnswer<typeof productsApi.update>;
  restock(
    id: string,
    body: Body<typeof productsApi.restock>,
    requestId: string,
    conditions?: Conditions,
  ): TaggedAnswer<typeof productsApi.restock>;
  ready(): Promise<void>;
}

export interface OrdersClient {
  /** undefined when the orders service has no record (yet). */
  get(id: string, requestId: string): Promise<RouteResponse<typeof ordersApi.get> | undefined>;
  list(query: Query<typeof ordersApi.list>, requestId: string): Answer<typeof ordersApi.list>;
  /** Idempotent create of the (still unpriced) record; the saga fills the prices in. */
  record(orderId: string, body: Body<typeof ordersApi.create>, requestId: string): Answer<typeof ordersApi.create>;
  /** Records a customer's cancel; a 409 NOT_CANCELLABLE refusal passes through to the client. */
  requestCancel(orderId: string, requestId: string): Answer<typeof ordersApi.requestCancel>;
  /** Claims a new order's units against its customer's cap; a 429 RATE_LIMITED passes through to the client. */
  holdUnits(
    orderId: string,
    body: Body<typeof ordersApi.holdUnits>,
    requestId: string,
  ): Answer<typeof ordersApi.holdUnits>;
  ready(): Promise<void>;
}

/**
 * Wraps a client in a circuit breaker: after repeated outages it fails fast instead of waiting on timeouts.
 * Given the service's name, an open circuit is reported as that service being unavailable.
 */
export function withBreaker(
  client: ServiceTransport,
  breaker: CircuitBreakerPolicy = defaultBreaker(),
  service?: string,
): ServiceTransport {
  return {
    call: async (method, path, schema, options) => {
      try {
        return await breaker.execute(() => client.call(method, path, schema, options));
      } catch (error) {
        if (service && error instanceof BrokenCircuitError) throw new ServiceUnavailableError(service, 'circuit open');
        throw error;
      }
    },
  };
}

export function defaultBreaker(): CircuitBreakerPolicy {
  return circuitBreaker(
    // A service shedding load (503 OVERLOADED) is up: its other routes must keep being called.
    handleWhen((error) => error instanceof ServiceUnavailableError && !error.overloaded),
    // One probe a second while open: a service back from a restart is used again within a second.
    { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(5) },
  );
}

const readiness = (client: ServiceTransport) => async () => {
  await client.call('GET', '/readyz', z.unknown(), { timeoutMs: 2_000 });
};

export function createUsersClient(transport: ServiceTransport): UsersClient {
  const users = createContractClient(usersApi, transport);
  return {
    register: (body, requestId) => users.register({ body }, { requestId }),
    login: (body, requestId) => users.login({ body }, { requestId }),
    get: (id, requestId) => users.get({ params: { id } }, { requestId }),
    ready: readiness(transport),
  };
}

/** Calls with the conditions as headers and keeps the answer's ETag. */
async function tagged<T>(
  send: (meta: CallMeta) => Promise<T>,
  requestId: string,
  { ifMatch, ifNoneMatch }: Conditions = {},
): Promise<Tagged<T>> {
  let etag: string | undefined;
  const headers: Record<string, string> = {};
  if (ifMatch !== undefined) headers['if-match'] = ifMatch;
  if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
  const onHeaders = (answer: Headers) => void (etag = answer.get('etag') ?? undefined);
  const body = await send({ requestId, headers, onHeaders });
  return { body, etag };
}

export function createProductsClient(transport: ServiceTransport): ProductsClient {
  const products = createContractClient(productsApi, transport);
  return {
    list: (query, requestId) => products.list({ query }, { requestId }),
    get: (id, requestId, conditions) => tagged((meta) => products.get({ params: { id } }, meta), requestId, conditions),
    create: (body, requestId) => tagged((meta) => products.create({ body }, meta), requestId),
    update: (id, body, requestId, conditions) =>
      tagged((meta) => products.update({ params: { id }, body }, meta), requestId, conditions),
    restock: (id, body, requestId, conditions) =>
      tagged((meta) => products.restock({ params: { id }, body }, meta), requestId, conditions),
    ready: readiness(transport),
  };
}

export function createOrdersClient(transport: ServiceTransport): OrdersClient {
  const orders = createContractClient(ordersApi, transport);
  return {
    async get(id, requestId) {
      try {
        return await orders.get({ params: { id } }, { requestId });
      } catch (error) {
        if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
        throw error;
      }
    },
    list: (query, requestId) => orders.list({ query }, { requestId }),
    record: (id, body, requestId) => orders.create({ params: { id }, body }, { requestId }),
    requestCancel: (id, requestId) => orders.requestCancel({ params: { id } }, { requestId }),
    holdUnits: (id, body, requestId) => orders.holdUnits({ params: { id }, body }, { requestId }),
    ready: readiness(transport),
  };
}
