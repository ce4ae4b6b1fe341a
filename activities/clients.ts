import { ordersApi } from '../contracts/orders-api.js';
import { productsApi } from '../contracts/products-api.js';
import { usersApi } from '../contracts/users-api.js';
import { createApiClient, type ApiClient, type CallMeta } from '../lib/api-client.js';
import { createServiceClient } from '../lib/service-client.js';

/** Per-call metadata: an idempotency key derived from the workflow id + step, and the request id. */
export interface CallContext extends CallMeta {
  idempotencyKey: string;
  requestId?: string | undefined;
}

/** The contract-derived clients (lib/api-client.ts), narrowed to the calls the saga makes. */
export interface SagaClients {
  users: Pick<ApiClient<typeof usersApi>, 'get'>;
  products: Pick<ApiClient<typeof productsApi>, 'lookup' | 'reserve' | 'release' | 'commit'>;
  orders: Pick<
    ApiClient<typeof ordersApi>,
    | 'create'
    | 'get'
    | 'transition'
    | 'authorize'
    | 'getPayment'
    | 'capture'
    | 'void'
    | 'listStale'
    | 'getDecisions'
    | 'requestCancel'
    | 'passPointOfNoReturn'
    | 'decideFailure'
  >;
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
  const transport = (service: string, baseUrl: string) => createServiceClient({ ...common, service, baseUrl });
  return {
    users: createApiClient(usersApi, transport('users', options.usersUrl)),
    products: createApiClient(productsApi, transport('products', options.productsUrl)),
    orders: createApiClient(ordersApi, transport('orders', options.ordersUrl)),
  };
}
