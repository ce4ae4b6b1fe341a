import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import { createGatewayApp, type GatewayAppConfig, type GatewayDeps } from '../app.js';
import { createJwtVerifier, remoteKeys } from '../middleware/auth.js';
import {
  createOrdersClient,
  createProductsClient,
  createUsersClient,
  defaultBreaker,
  withBreaker,
} from '../upstream.js';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../contracts/users.js';
import { SERVICE_TOKEN, type FakeServices } from './fake-services.js';
import { createMemoryOrderWorkflows } from './memory-workflows.js';
import type { TokenIssuer } from './tokens.js';

const testConfig = (overrides: Partial<GatewayAppConfig> = {}): GatewayAppConfig => ({
  BODY_LIMIT_BYTES: 1_048_576,
  RATE_LIMIT_LOGIN_FAILURES: 10,
  RATE_LIMIT_IP_PER_MIN: 0,
  RATE_LIMIT_ORDERS_PER_MIN: 0,
  RATE_LIMIT_MAX_KEYS: 50_000,
  SSE_MAX_STREAMS_PER_CUSTOMER: 5,
  SSE_MAX_STREAMS: 1000,
  CORS_ORIGINS: [],
  ORDER_CANCEL_WINDOW_MS: 5000,
  TRUST_PROXY: false,
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
  TEMPORAL_NAMESPACE: 'default',
  SERVICE_TOKEN,
  ...overrides,
});

/** The real gateway wired to fake services over HTTP, a real JWKS, and an in-memory Temporal double. */
export function buildGateway(
  services: FakeServices,
  issuer: TokenIssuer,
  overrides: Partial<GatewayAppConfig> = {},
  extra: Partial<GatewayDeps> = {},
) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const temporal = createMemoryOrderWorkflows();
  const client = (service: string, baseUrl: string) =>
    withBreaker(
      createServiceTransport({ service, baseUrl, token: SERVICE_TOKEN, timeoutMs: 2000 }),
      defaultBreaker(),
      service,
    );
  const app = createGatewayApp({
    config: testConfig(overrides),
    logger: createLogger('api-test', 'silent'),
    metrics: createMetrics('api-test', false),
    users: createUsersClient(client('users', services.urls.users)),
    products: createProductsClient(client('products', services.urls.products)),
    orders: createOrdersClient(client('orders', services.urls.orders)),
    orderWorkflows: temporal.workflows,
    verifyToken: createJwtVerifier({
      keys: remoteKeys(issuer.url),
      issuer: TOKEN_ISSUER_DEFAULT,
      audience: TOKEN_AUDIENCE_DEFAULT,
    }),
    clock: () => now,
    clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1',
    ...extra,
  });
  return { app, temporal, advance: (ms: number) => void (now += ms), now: () => now };
}

export const jsonRequest = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary response JSON
export type Json = any;
export const readBody = async (res: Response): Promise<Json> => res.json();
