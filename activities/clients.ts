import type { Dispatcher } from 'undici';
import { ordersApi } from '../contracts/orders-api.js';
import { productsApi } from '../contracts/products-api.js';
import { usersApi } from '../contracts/users-api.js';
import { createContractClient, type ContractClient, type CallMeta } from '../lib/contract-client.js';
import { createServiceTransport } from '../lib/service-transport.js';

/** Per-call metadata: an idempotency key derived from the workflow id + step, and the request id. */
export interface CallContext extends CallMeta {
  idempotencyKey: string;
  requestId?: string | undefined;
}

/** The contract-derived clients (lib/contract-client.ts), narrowed to the calls the saga makes. */
export interface SagaClients {
  users: Pick<ContractClient<typeof usersApi>, 'get'>;
  products: Pick<ContractClient<typeof productsApi>, 'lookup' | 'reserve' | 'release' | 'commit'>;
  orders: Pick<
    ContractClient<typeof ordersApi>,
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
  /** Keep-alive connections to the services (lib/http-exchange.ts); without one, `fetch`. */
  dispatcher?: Dispatcher;
  fetch?: typeof fetch;
}

/** The three typed clients the activities use, over the dispatcher's keep-alive connections. */
export function createSagaClients(options: ClientsOptions): SagaClients {
  const { token, timeoutMs, dispatcher, fetch } = options;
  const common = { token, timeoutMs, dispatcher, fetch };
  const transport = (service: string, baseUrl: string) => createServiceTransport({ ...common, service, baseUrl });
  return {
    users: createContractClient(usersApi, transport('users', options.usersUrl)),
    products: createContractClient(productsApi, transport('products', options.productsUrl)),
    orders: createContractClient(ordersApi, transport('orders', options.ordersUrl)),
  };
}
