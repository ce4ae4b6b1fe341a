import { existsSync } from 'node:fs';
import { generateKeyPair, SignJWT, exportJWK } from 'jose';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createGatewayClient, uniqueEmail, uniqueSku, type GatewayClient } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// Bad input of every kind is answered with the right problem and creates nothing; docs and the
// Temporal Web UI are checked in a real headless browser.
let stack: TestStack;
let api: GatewayClient;
let adminToken: string;
let customer: { id: string; token: string };
let productId: string;

beforeAll(async () => {
  stack = await startTestStack('contract', { BODY_LIMIT_BYTES: '4096', ORDER_CANCEL_WINDOW_MS: '0' });
  api = createGatewayClient(stack.urls.api);
  adminToken = await api.login(stack.admin.email, stack.admin.password);
  customer = await api.registerAndLogin(uniqueEmail('contract'));
  productId = (
    await api.createProduct(adminToken, { sku: uniqueSku('C'), name: 'Contract', priceCents: 100, stock: 5 })
  ).id;
});
afterAll(async () => {
  await stack?.stop();
});

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
    code: code ?? expect.any(String),
  });
  expect(response.headers.get('x-request-id')).toBeTruthy();
}

async function ordersOf(token: string) {
  return (await api.request<{ items: unknown[] }>('GET', '/api/orders', { token })).body.items;
}

describe('bad order input creates nothing', () => {
  const cases: [string, Record<string, unknown> | string][] = [
    ['malformed JSON', '{"items": [ '],
    ['missing items', { paymentMethod: 'tok_visa' }],
    ['empty items', { items: [], paymentMethod: 'tok_visa' }],
    ['quantity as a string', { items: [{ productId: 'x', quantity: '1' }], paymentMethod: 'tok_visa' }],
    ['quantity 0', { items: [{ productId: 'x', quantity: 0 }], paymentMethod: 'tok_visa' }],
    ['quantity 1001', { items: [{ productId: 'x', quantity: 1001 }], paymentMethod: 'tok_visa' }],
    ['operator object as productId', { items: [{ productId: { $gt: '' }, quantity: 1 }], paymentMethod: 'tok_visa' }],
    [
      'duplicate productId',
      {
        items: [
          { productId: 'a', quantity: 1 },
          { productId: 'a', quantity: 2 },
        ],
        paymentMethod: 'tok_visa',
      },
    ],
    [
      '51 lines',
      { items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })), paymentMethod: 'tok_visa' },
    ],
    ['missing paymentMethod', { items: [{ productId: 'x', quantity: 1 }] }],
  ];
  it.each(cases)('%s → 400', async (_name, body) => {
    const response =
      typeof body === 'string'
        ? await api.request('POST', '/api/orders', { token: customer.token, raw: body })
        : await api.request('POST', '/api/orders', { token: customer.token, body });
    expectProblem(response, 400);
    expect(await ordersOf(customer.token)).toEqual([]);
  });

  it('oversize body → 413', async () => {
    const response = await api.request('POST', '/api/orders', {
      token: customer.token,
      raw: JSON.stringify({ items: [], paymentMethod: 'x'.repeat(10_000) }),
    });
    expectProblem(response, 413);
    expect(await ordersOf(customer.token)).toEqual([]);
  });
});

describe('authentication', () => {
  it('refuses missing, garbage, alg:none and forged tokens with 401', async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: customer.id, role: 'admin', iss: 'durable-shop-users', aud: 'durable-shop-api', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.`;
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = (await exportJWK(publicKey)).x!.slice(0, 8);
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(customer.id)
      .setIssuer('durable-shop-users')
      .setAudience('durable-shop-api')
      .setExpirationTime('10m')
      .sign(privateKey);
    for (const token of [undefined, 'garbage', none, forged]) {
      const response = await api.request('POST', '/api/orders', {
        token,
        body: { items: [{ productId, quantity: 1 }], paymentMethod: 'tok_visa' },
      });
      expectProblem(response, 401);
    }
    expect((await api.getProduct(productId)).stock).toBe(5);
  });

  it('refuses a customer on admin routes with 403', async () => {
    const response = await api.request('POST', '/api/products', {
      token: customer.token,
      body: { sku: uniqueSku('X'), name: 'x', priceCents: 1 },
    });
    expectProblem(response, 403);
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    expectProblem(await api.request('GET', '/api/nope'), 404);
    expectProblem(await api.request('DELETE', '/api/products'), 405);
  });
});

describe('health and docs', () => {
  it('is ready, serves metrics to the scraper only and an OpenAPI 3.1 document of the contract', async () => {
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    expect((await api.request('GET', '/readyz')).status).toBe(200);
    expectProblem(await api.request('GET', '/metrics'), 401);
    const scrape = { headers: { authorization: `Bearer ${stack.serviceToken}` } };
    const metrics = await api.request<string>('GET', '/metrics', scrape);
    expect(metrics.body).toContain('http_request');
    const doc = await api.request<{ openapi: string; paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\.1/);
    for (const path of [
      '/api/users/register',
      '/api/users/login',
      '/api/users/me',
      '/api/products',
      '/api/orders',
      '/api/orders/{id}/cancel',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
  });
});

describe('in a real browser', () => {
  const executablePath = '/usr/bin/chromium';
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(executablePath))
      throw new Error('Debian chromium is required for the browser test (.ci/run installs it)');
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the API operations at /docs with no internet access', async () => {
    const page = await browser!.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.urls.api)) external.push(request.url());
    });
    await page.goto(`${stack.urls.api}/docs`);
    await page.getByText('/api/orders', { exact: false }).first().waitFor({ timeout: 20_000 });
    expect(external).toEqual([]);
    await page.close();
  });

  it("opens an order's workflow in the Temporal Web UI", async () => {
    const uiUrl = inject('temporalUiUrl');
    if (!uiUrl) return; // an external Temporal server was given; its UI is not ours to test
    const placed = await api.placeOrder(customer.token, [{ productId, quantity: 1 }]);
    const order = await api.waitForFinal(customer.token, placed.body.id);
    const page = await browser!.newPage();
    await page.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(order.workflowId)}`);
    await page.getByText(order.workflowId).first().waitFor({ timeout: 30_000 });
    await page.getByText('placeOrder').first().waitFor({ timeout: 30_000 });
    await page.close();
  });
});
