import type { Order } from '../../contracts/orders.js';
import type { Product } from '../../contracts/products.js';

export type { Order, Product };
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface Me {
  id: string;
  email: string;
  name: string;
  role: 'customer' | 'admin';
}
export interface Notification {
  id: string;
  orderId: string;
  type: string;
  subject: string;
  body: string;
  createdAt: string;
}

/** An RFC 9457 problem from the gateway (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Prefix of every request: empty in the page (same origin); tests running outside a browser set it. */
export const origin = { base: '' };

/** Calls the gateway; resolves with the JSON body and headers, rejects with ApiError. */
async function call<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(origin.base + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'The shop cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const problem = (body ?? {}) as { code?: string; detail?: string; title?: string; errors?: ApiError['errors'] };
    const message = problem.detail ?? problem.title ?? `Request failed (${response.status})`;
    throw new ApiError(response.status, problem.code ?? 'UNKNOWN', message, problem.errors ?? []);
  }
  return { body: body as T, headers: response.headers };
}

/** A random key (crypto.randomUUID needs a secure context; a shop on a LAN address may not be one). */
export function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A readable message for any error thrown by `call`. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 429) return 'Too many requests: wait a moment and try again.';
  const details = error.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
  return details ? `${error.message} (${details})` : error.message;
}

export const api = {
  listProducts: (query: { q?: string; cursor?: string | null; limit?: number }) => {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.cursor) params.set('cursor', query.cursor);
    params.set('limit', String(query.limit ?? 12));
    return call<Page<Product>>('GET', `/api/products?${params}`).then((r) => r.body);
  },
  getProduct: (id: string) =>
    call<Product>('GET', `/api/products/${encodeURIComponent(id)}`).then((r) => ({
      product: r.body,
      etag: r.headers.get('etag'),
    })),
  register: (input: { email: string; password: string; name: string }) =>
    call<Me>('POST', '/api/users/register', { body: input }).then((r) => r.body),
  login: (input: { email: string; password: string }) =>
    call<{ accessToken: string; expiresIn: number }>('POST', '/api/users/login', { body: input }).then((r) => r.body),
  me: (token: string) => call<Me>('GET', '/api/users/me', { token }).then((r) => r.body),
  placeOrder: (
    token: string,
    input: { items: { productId: string; quantity: number }[]; paymentMethod: string },
    idempotencyKey: string,
  ) => call<Order>('POST', '/api/orders', { token, body: input, headers: { 'idempotency-key': idempotencyKey } }),
  listOrders: (token: string, cursor: string | null) =>
    call<Page<Order>>('GET', `/api/orders?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      token,
    }).then((r) => r.body),
  getOrder: (token: string, id: string, signal?: AbortSignal) =>
    call<Order>('GET', `/api/orders/${encodeURIComponent(id)}`, { token, signal }).then((r) => r.body),
  cancelOrder: (token: string, id: string) =>
    call<Order>('POST', `/api/orders/${encodeURIComponent(id)}/cancel`, { token }).then((r) => r.body),
  createProduct: (
    token: string,
    input: { sku: string; name: string; description?: string; priceCents: number; stock?: number },
  ) => call<Product>('POST', '/api/products', { token, body: input }).then((r) => r.body),
  updatePrice: (token: string, id: string, priceCents: number, etag: string | null) =>
    call<Product>('PATCH', `/api/products/${encodeURIComponent(id)}`, {
      token,
      body: { priceCents },
      headers: etag ? { 'if-match': etag } : {},
    }).then((r) => ({ product: r.body, etag: r.headers.get('etag') })),
  restock: (token: string, id: string, quantity: number) =>
    call<Product>('POST', `/api/products/${encodeURIComponent(id)}/restock`, { token, body: { quantity } }).then(
      (r) => ({ product: r.body, etag: r.headers.get('etag') }),
    ),
  allOrders: (token: string, query: { status?: string; cursor?: string | null }) => {
    const params = new URLSearchParams({ limit: '50' });
    if (query.status) params.set('status', query.status);
    if (query.cursor) params.set('cursor', query.cursor);
    return call<Page<Order>>('GET', `/api/admin/orders?${params}`, { token }).then((r) => r.body);
  },
  notifications: (token: string) =>
    call<Page<Notification>>('GET', '/api/notifications?limit=50', { token }).then((r) => r.body),
};

export interface OperatorView {
  generatedAt: string;
  orders: {
    windowMinutes: number;
    perMinute: ({ minute: string } & Record<OrderOutcome, number>)[];
    totals: Record<OrderOutcome, number>;
    latencyMs: { count: number; p50: number; p95: number; p99: number; max: number } | null;
    /** Absent from a gateway older than the plots. */
    latencyPerMinute?: { minute: string; count: number; p50: number | null; p95: number | null; p99: number | null }[];
    steps: { name: string; failed: number; compensated: number }[];
    failureReasons: Record<string, number>;
    scanned: number;
    truncated: boolean;
  };
  taskQueue: { name: string; workflow: QueueFigures; activity: QueueFigures } | null;
  taskQueueError: string | null;
}
export type OrderOutcome = 'CONFIRMED' | 'FAILED' | 'CANCELLED' | 'PENDING';
export interface QueueFigures {
  pollers: number;
  backlog: number;
  addRate: number;
  dispatchRate: number;
}
export interface Readiness {
  status: string;
  checks: Record<string, 'up' | 'down'>;
  down: string[];
}

/** /readyz answers 503 with the same body when something is down: both are an answer here. */
export async function readiness(): Promise<Readiness> {
  const response = await fetch('/readyz', { headers: { accept: 'application/json' } });
  return (await response.json()) as Readiness;
}

export const operatorView = (token: string) =>
  call<OperatorView>('GET', '/api/admin/operator?windowMinutes=10', { token }).then((r) => r.body);
