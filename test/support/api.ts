import type { Order } from '../../contracts/orders.js';
import type { Product } from '../../contracts/products.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A thin HTTP client for the public gateway contract, as a black-box test would use it. */
export function createGatewayClient(baseUrl: string) {
  async function request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (options.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(new URL(path, baseUrl), { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // non-JSON body (docs, metrics)
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Honors 503 + Retry-After (the users service sheds password work when its queue is full), as a client should. */
  async function withRetryAfter<T>(send: () => Promise<ApiResponse<T>>, attempts = 5): Promise<ApiResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const response = await send();
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status !== 503 || !retryAfter || attempt === attempts) return response;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }

  async function registerAndLogin(email: string, password = 'password-123', name = 'Test User') {
    const registered = await withRetryAfter(() =>
      request<{ id: string }>('POST', '/api/users/register', { body: { email, password, name } }),
    );
    if (registered.status !== 201)
      throw new Error(`register ${email}: ${registered.status} ${JSON.stringify(registered.body)}`);
    const token = await login(email, password);
    return { id: registered.body.id, token };
  }

  async function login(email: string, password: string): Promise<string> {
    const response = await withRetryAfter(() =>
      request<{ accessToken: string }>('POST', '/api/users/login', { body: { email, password } }),
    );
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken;
  }

  async function createProduct(
    adminToken: string,
    input: { sku: string; name: string; priceCents: number; stock: number },
  ): Promise<Product> {
    const response = await request<Product>('POST', '/api/products', { token: adminToken, body: input });
    if (response.status !== 201) throw new Error(`create product: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async function getProduct(id: string): Promise<Product> {
    const response = await request<Product>('GET', `/api/products/${id}`);
    if (response.status !== 200) throw new Error(`get product: ${response.status}`);
    return response.body;
  }

  async function placeOrder(
    token: string,
    items: { productId: string; quantity: number }[],
    paymentMethod = 'tok_visa',
    idempotencyKey?: string,
  ) {
    const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
    return request<Order>('POST', '/api/orders', { token, body: { items, paymentMethod }, headers });
  }

  /** Polls the order until it reaches a final status. */
  async function waitForFinal(token: string, orderId: string, timeoutMs = 60_000, intervalMs = 150): Promise<Order> {
    const deadline = Date.now() + timeoutMs;
    let last: ApiResponse<Order> | undefined;
    while (Date.now() < deadline) {
      last = await request<Order>('GET', `/api/orders/${orderId}`, { token });
      if (last.status === 200 && last.body.status !== 'PENDING') return last.body;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`order ${orderId} not final after ${timeoutMs} ms: ${JSON.stringify(last?.body)}`);
  }

  return { request, registerAndLogin, login, createProduct, getProduct, placeOrder, waitForFinal };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}
export function uniqueSku(prefix = 'SKU'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`.toUpperCase();
}
