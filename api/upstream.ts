import { circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { z } from 'zod';
import { ListOrdersResponse, Order, type CreateOrderRequest } from '../contracts/orders.js';
import { Product } from '../contracts/products.js';
import { PublicUser, TokenResponse } from '../contracts/users.js';
import { page } from '../contracts/common.js';
import {
  ServiceRejectedError,
  ServiceUnavailableError,
  type CallOptions,
  type ServiceClient,
} from '../lib/service-client.js';

export type Json = Record<string, unknown>;

export interface UsersClient {
  register(body: Json, requestId: string): Promise<PublicUser>;
  login(body: Json, requestId: string): Promise<TokenResponse>;
  get(id: string, requestId: string): Promise<PublicUser>;
  ready(): Promise<void>;
}

export interface ProductsClient {
  list(
    query: Record<string, string | number | undefined>,
    requestId: string,
  ): Promise<{ items: Product[]; nextCursor: string | null }>;
  get(id: string, requestId: string): Promise<Product>;
  create(body: Json, requestId: string): Promise<Product>;
  update(id: string, body: Json, requestId: string): Promise<Product>;
  restock(id: string, body: Json, requestId: string): Promise<Product>;
  ready(): Promise<void>;
}

export interface OrdersClient {
  /** undefined when the orders service has no record (yet). */
  get(id: string, requestId: string): Promise<Order | undefined>;
  list(
    query: { customerId: string; limit: number; cursor?: string | undefined },
    requestId: string,
  ): Promise<z.infer<typeof ListOrdersResponse>>;
  /** Idempotent create of the (still unpriced) record; the saga fills the prices in. */
  record(orderId: string, body: CreateOrderRequest, requestId: string): Promise<Order>;
  ready(): Promise<void>;
}

const Anything = z.unknown();
const ProductPage = page(Product);
const id = (value: string) => encodeURIComponent(value);

/** Wraps a client in a circuit breaker: after repeated outages it fails fast instead of waiting on timeouts. */
export function withBreaker(client: ServiceClient, breaker: CircuitBreakerPolicy = defaultBreaker()): ServiceClient {
  return { call: (method, path, schema, options) => breaker.execute(() => client.call(method, path, schema, options)) };
}

export function defaultBreaker(): CircuitBreakerPolicy {
  return circuitBreaker(
    handleWhen((error) => error instanceof ServiceUnavailableError),
    { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(5) },
  );
}

const opts = (requestId: string, extra: CallOptions = {}): CallOptions => ({ requestId, ...extra });
const readiness = (client: ServiceClient) => async () => {
  await client.call('GET', '/readyz', Anything, { timeoutMs: 2_000 });
};

export function createUsersClient(client: ServiceClient): UsersClient {
  return {
    register: (body, rid) => client.call('POST', '/v1/users', PublicUser, opts(rid, { body })),
    login: (body, rid) => client.call('POST', '/v1/sessions', TokenResponse, opts(rid, { body })),
    get: (userId, rid) => client.call('GET', `/v1/users/${id(userId)}`, PublicUser, opts(rid)),
    ready: readiness(client),
  };
}

export function createProductsClient(client: ServiceClient): ProductsClient {
  return {
    list: (query, rid) => client.call('GET', '/v1/products', ProductPage, opts(rid, { query })),
    get: (productId, rid) => client.call('GET', `/v1/products/${id(productId)}`, Product, opts(rid)),
    create: (body, rid) => client.call('POST', '/v1/products', Product, opts(rid, { body })),
    update: (productId, body, rid) =>
      client.call('PATCH', `/v1/products/${id(productId)}`, Product, opts(rid, { body })),
    restock: (productId, body, rid) =>
      client.call('POST', `/v1/products/${id(productId)}/restock`, Product, opts(rid, { body })),
    ready: readiness(client),
  };
}

export function createOrdersClient(client: ServiceClient): OrdersClient {
  return {
    async get(orderId, rid) {
      try {
        return await client.call('GET', `/v1/orders/${id(orderId)}`, Order, opts(rid));
      } catch (error) {
        if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
        throw error;
      }
    },
    list: (query, rid) => client.call('GET', '/v1/orders', ListOrdersResponse, opts(rid, { query })),
    record: (orderId, body, rid) => client.call('PUT', `/v1/orders/${id(orderId)}`, Order, opts(rid, { body })),
    ready: readiness(client),
  };
}
