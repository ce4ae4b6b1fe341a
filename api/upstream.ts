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
import type { HeaderReader } from '../lib/http-exchange.js';
import { ServiceRejectedError, ServiceUnavailableError, type ServiceTransport } from '../lib/service-transport.js';

// The gateway's view of the services: the contract-derived clients (lib/contract-client.ts), called with the
// request id of the public call, behind a circuit breaker, plus each service's readiness.

type Body<R extends RouteDef> = RouteInput<R> extends { body: infer B } ? B : never;
type Query<R extends RouteDef> = RouteInput<R> extends { query: infer Q } ? Q : never;

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

export type UsersClient = ReturnType<typeof createUsersClient>;

export function createUsersClient(transport: ServiceTransport) {
  const users = createContractClient(usersApi, transport);
  return {
    register: (body: Body<typeof usersApi.register>, requestId: string) => users.register({ body }, { requestId }),
    login: (body: Body<typeof usersApi.login>, requestId: string) => users.login({ body }, { requestId }),
    get: (id: string, requestId: string) => users.get({ params: { id } }, { requestId }),
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
  const onHeaders = (answer: HeaderReader) => void (etag = answer.get('etag') ?? undefined);
  const body = await send({ requestId, headers, onHeaders });
  return { body, etag };
}

export type ProductsClient = ReturnType<typeof createProductsClient>;

export function createProductsClient(transport: ServiceTransport) {
  const products = createContractClient(productsApi, transport);
  return {
    list: (query: Query<typeof productsApi.list>, requestId: string) => products.list({ query }, { requestId }),
    get: (id: string, requestId: string, conditions?: Conditions) =>
      tagged((meta) => products.get({ params: { id } }, meta), requestId, conditions),
    create: (body: Body<typeof productsApi.create>, requestId: string) =>
      tagged((meta) => products.create({ body }, meta), requestId),
    update: (id: string, body: Body<typeof productsApi.update>, requestId: string, conditions?: Conditions) =>
      tagged((meta) => products.update({ params: { id }, body }, meta), requestId, conditions),
    restock: (id: string, body: Body<typeof productsApi.restock>, requestId: string, conditions?: Conditions) =>
      tagged((meta) => products.restock({ params: { id }, body }, meta), requestId, conditions),
    ready: readiness(transport),
  };
}

export type OrdersClient = ReturnType<typeof createOrdersClient>;

/** `get` answers undefined when the orders service has no record (yet); refusals (409, 429) pass through. */
export function createOrdersClient(transport: ServiceTransport) {
  const orders = createContractClient(ordersApi, transport);
  return {
    async get(id: string, requestId: string): Promise<RouteResponse<typeof ordersApi.get> | undefined> {
      try {
        return await orders.get({ params: { id } }, { requestId });
      } catch (error) {
        if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
        throw error;
      }
    },
    list: (query: Query<typeof ordersApi.list>, requestId: string) => orders.list({ query }, { requestId }),
    record: (id: string, body: Body<typeof ordersApi.create>, requestId: string) =>
      orders.create({ params: { id }, body }, { requestId }),
    requestCancel: (id: string, requestId: string) => orders.requestCancel({ params: { id } }, { requestId }),
    holdUnits: (id: string, body: Body<typeof ordersApi.holdUnits>, requestId: string) =>
      orders.holdUnits({ params: { id }, body }, { requestId }),
    ready: readiness(transport),
  };
}
