import { z } from 'zod';
import {
  Order,
  Payment,
  type CreateOrderRequest,
  type TransitionRequest,
  type AuthorizeRequest,
} from '../contracts/orders.js';
import { LookupResponse, type ReserveRequest } from '../contracts/products.js';
import { AccountStatus } from '../contracts/users.js';
import { createServiceClient, type ServiceClient } from '../lib/service-client.js';

/** Per-call metadata: an idempotency key derived from the workflow id + step, and the request id. */
export interface CallContext {
  idempotencyKey: string;
  requestId?: string;
}

const CustomerView = z.object({ id: z.string(), status: AccountStatus });
export type CustomerView = z.infer<typeof CustomerView>;
const PaymentView = Payment.pick({ orderId: true, status: true, amountCents: true });
export type PaymentView = z.infer<typeof PaymentView>;
const OrderView = Order.pick({ id: true, status: true });
export type OrderView = z.infer<typeof OrderView>;
// Reservation and create answers are not read; a loose shape keeps the saga decoupled from them.
const Anything = z.unknown();

export interface UsersClient {
  getUser(id: string, ctx: CallContext): Promise<CustomerView>;
}

export interface ProductsClient {
  lookup(ids: string[], ctx: CallContext): Promise<z.infer<typeof LookupResponse>>;
  reserve(orderId: string, body: ReserveRequest, ctx: CallContext): Promise<void>;
  release(orderId: string, ctx: CallContext): Promise<void>;
  commit(orderId: string, ctx: CallContext): Promise<void>;
}

export interface OrdersClient {
  create(orderId: string, body: CreateOrderRequest, ctx: CallContext): Promise<void>;
  get(orderId: string, ctx: CallContext): Promise<OrderView>;
  transition(orderId: string, body: TransitionRequest, ctx: CallContext): Promise<void>;
  authorize(body: AuthorizeRequest, ctx: CallContext): Promise<PaymentView>;
  getPayment(orderId: string, ctx: CallContext): Promise<PaymentView>;
  capture(orderId: string, amountCents: number, ctx: CallContext): Promise<PaymentView>;
  void(orderId: string, ctx: CallContext): Promise<PaymentView>;
}

export interface SagaClients {
  users: UsersClient;
  products: ProductsClient;
  orders: OrdersClient;
}

const id = encodeURIComponent;
const meta = (ctx: CallContext) => ({ idempotencyKey: ctx.idempotencyKey, requestId: ctx.requestId });

export function createUsersClient(http: ServiceClient): UsersClient {
  return { getUser: (userId, ctx) => http.call('GET', `/v1/users/${id(userId)}`, CustomerView, meta(ctx)) };
}

export function createProductsClient(http: ServiceClient): ProductsClient {
  return {
    lookup: (ids, ctx) => http.call('POST', '/v1/products/lookup', LookupResponse, { ...meta(ctx), body: { ids } }),
    reserve: async (orderId, body, ctx) => {
      await http.call('PUT', `/v1/reservations/${id(orderId)}`, Anything, { ...meta(ctx), body });
    },
    release: async (orderId, ctx) => {
      await http.call('POST', `/v1/reservations/${id(orderId)}/release`, Anything, meta(ctx));
    },
    commit: async (orderId, ctx) => {
      await http.call('POST', `/v1/reservations/${id(orderId)}/commit`, Anything, meta(ctx));
    },
  };
}

export function createOrdersClient(http: ServiceClient): OrdersClient {
  const payments = '/v1/payments';
  return {
    create: async (orderId, body, ctx) => {
      await http.call('PUT', `/v1/orders/${id(orderId)}`, Anything, { ...meta(ctx), body });
    },
    get: (orderId, ctx) => http.call('GET', `/v1/orders/${id(orderId)}`, OrderView, meta(ctx)),
    transition: async (orderId, body, ctx) => {
      await http.call('POST', `/v1/orders/${id(orderId)}/transitions`, Anything, { ...meta(ctx), body });
    },
    authorize: (body, ctx) => http.call('POST', `${payments}/authorize`, PaymentView, { ...meta(ctx), body }),
    getPayment: (orderId, ctx) => http.call('GET', `${payments}/${id(orderId)}`, PaymentView, meta(ctx)),
    capture: (orderId, amountCents, ctx) =>
      http.call('POST', `${payments}/${id(orderId)}/capture`, PaymentView, { ...meta(ctx), body: { amountCents } }),
    void: (orderId, ctx) =>
      http.call('POST', `${payments}/${id(orderId)}/void`, PaymentView, { ...meta(ctx), body: {} }),
  };
}

export interface ClientsOptions {
  usersUrl: string;
  productsUrl: string;
  ordersUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The three typed clients the activities use, over keep-alive fetch. */
export function createSagaClients(options: ClientsOptions): SagaClients {
  const common = { token: options.token, timeoutMs: options.timeoutMs, fetch: options.fetch };
  return {
    users: createUsersClient(createServiceClient({ ...common, service: 'users', baseUrl: options.usersUrl })),
    products: createProductsClient(
      createServiceClient({ ...common, service: 'products', baseUrl: options.productsUrl }),
    ),
    orders: createOrdersClient(createServiceClient({ ...common, service: 'orders', baseUrl: options.ordersUrl })),
  };
}
