import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import { startFakeServices, type FakeServices } from '../test-support/fake-services.js';
import { createTokenIssuer, type TokenIssuer } from '../test-support/tokens.js';

let services: FakeServices;
let issuer: TokenIssuer;
let admin: Record<string, string>;
let customer: Record<string, string>;
beforeAll(async () => {
  [services, issuer] = await Promise.all([startFakeServices(), createTokenIssuer()]);
  admin = { authorization: `Bearer ${await issuer.sign('u_admin', { role: 'admin' })}` };
  customer = { authorization: `Bearer ${await issuer.sign('u_cust')}` };
});
afterAll(async () => {
  await Promise.all([services.close(), issuer.close()]);
});

describe('products routes', () => {
  it('reads empty query values (`?q=&limit=&cursor=`) as not given', async () => {
    const { app } = buildGateway(services, issuer);
    const res = await app.request('/api/products?q=&limit=&cursor=');
    expect(res.status).toBe(200);
    expect(services.seen.at(-1)).toMatchObject({ method: 'GET', path: '/v1/products' });
    expect((await app.request('/api/products?limit=0')).status).toBe(400);
  });

  it('lets an admin create, patch and restock; anyone can list and get', async () => {
    const { app } = buildGateway(services, issuer);
    const created = await app.request(
      '/api/products',
      jsonRequest('POST', { sku: 'MUG-1', name: 'Mug', priceCents: 1200, stock: 5 }, admin),
    );
    expect(created.status).toBe(201);
    const product = await readBody(created);
    expect(product).toMatchObject({ sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'USD', stock: 5 });

    const patched = await app.request(`/api/products/${product.id}`, jsonRequest('PATCH', { priceCents: 1500 }, admin));
    expect(patched.status).toBe(200);
    expect(await readBody(patched)).toMatchObject({ priceCents: 1500 });
    const restocked = await app.request(
      `/api/products/${product.id}/restock`,
      jsonRequest('POST', { quantity: 10 }, admin),
    );
    expect(await readBody(restocked)).toMatchObject({ stock: 15 });

    const list = await app.request('/api/products?q=Mug&limit=5');
    expect(list.status).toBe(200);
    expect(await readBody(list)).toMatchObject({ items: [{ id: product.id }], nextCursor: null });
    expect(services.seen.at(-1)).toMatchObject({ method: 'GET', path: '/v1/products' });
    expect((await app.request(`/api/products/${product.id}`)).status).toBe(200);
  });

  it('passes 404 NOT_FOUND and 409 SKU_TAKEN through', async () => {
    const { app } = buildGateway(services, issuer);
    const missing = await app.request('/api/products/p_missing');
    expect(missing.status).toBe(404);
    expect(await readBody(missing)).toMatchObject({ code: 'NOT_FOUND' });
    await app.request('/api/products', jsonRequest('POST', { sku: 'DUP-1', name: 'A', priceCents: 1 }, admin));
    const dup = await app.request(
      '/api/products',
      jsonRequest('POST', { sku: 'DUP-1', name: 'B', priceCents: 1 }, admin),
    );
    expect(dup.status).toBe(409);
    expect(await readBody(dup)).toMatchObject({ code: 'SKU_TAKEN' });
  });

  it('needs a token (401) with the admin role (403) before looking at the body', async () => {
    const { app } = buildGateway(services, issuer);
    const anonymous = await app.request('/api/products', jsonRequest('POST', { junk: true }));
    expect(anonymous.status).toBe(401);
    const notAdmin = await app.request(
      '/api/products',
      jsonRequest('POST', { sku: 'X-1', name: 'X', priceCents: 1 }, customer),
    );
    expect(notAdmin.status).toBe(403);
    expect(await readBody(notAdmin)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.request('/api/products/p_1', jsonRequest('PATCH', { name: 'n' }, customer))).status).toBe(403);
    expect(
      (await app.request('/api/products/p_1/restock', jsonRequest('POST', { quantity: 1 }, customer))).status,
    ).toBe(403);
  });

  it.each([
    ['POST', '/api/products', { sku: 'OK-1', name: 'X', priceCents: '12' }, 'priceCents'],
    ['POST', '/api/products', { sku: 'OK-1', name: 'X', priceCents: -1 }, 'priceCents'],
    ['POST', '/api/products', { sku: { $gt: '' }, name: 'X', priceCents: 1 }, 'sku'],
    ['POST', '/api/products', { sku: 'OK-1', name: 'X', priceCents: 1, stock: 1, owner: 'me' }, ''],
    ['PATCH', '/api/products/p_1', {}, ''],
    ['PATCH', '/api/products/p_1', { stock: 100 }, ''],
    ['POST', '/api/products/p_1/restock', { quantity: 0 }, 'quantity'],
    ['POST', '/api/products/p_1/restock', { quantity: 1_000_001 }, 'quantity'],
  ])('%s %s refuses %j with 400 before calling the service', async (method, path, body, field) => {
    const { app } = buildGateway(services, issuer);
    const before = services.seen.length;
    const res = await app.request(path, jsonRequest(method, body, admin));
    expect(res.status).toBe(400);
    const problem = await readBody(res);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(services.seen.length).toBe(before);
  });

  it('validates the list query: limit 1–100', async () => {
    const { app } = buildGateway(services, issuer);
    expect((await app.request('/api/products?limit=0')).status).toBe(400);
    expect((await app.request('/api/products?limit=101')).status).toBe(400);
    expect((await app.request('/api/products?limit=abc')).status).toBe(400);
    expect((await app.request('/api/products?limit=100')).status).toBe(200);
  });
});
