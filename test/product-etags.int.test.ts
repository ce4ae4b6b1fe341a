import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { buildGateway, jsonRequest, readBody } from '../api/test-support/gateway.js';
import { startFakeServices, type FakeServices } from '../api/test-support/fake-services.js';
import { createTokenIssuer, type TokenIssuer } from '../api/test-support/tokens.js';
import { startHttpServer, type RunningServer } from '../lib/http-server.js';
import { openTestDb } from '../services/products/test-support/harness.js';

// The real gateway in front of the real products service (over HTTP, on the run's FerretDB).
let env: Awaited<ReturnType<typeof openTestDb>>;
let productsServer: RunningServer;
let services: FakeServices;
let issuer: TokenIssuer;
let gateway: ReturnType<typeof buildGateway>['app'];
let admin: Record<string, string>;

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'gateway-etags');
  [productsServer, services, issuer] = await Promise.all([
    startHttpServer(env.app.app, 0),
    startFakeServices(),
    createTokenIssuer(),
  ]);
  const withRealProducts = { ...services, urls: { ...services.urls, products: productsServer.url } };
  gateway = buildGateway(withRealProducts, issuer).app;
  admin = { authorization: `Bearer ${await issuer.sign('u_admin', { role: 'admin' })}` };
});
afterAll(async () => {
  await Promise.all([productsServer?.close(), services?.close(), issuer?.close()]);
  await env?.close();
});

const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  gateway.request(`/api/products/${id}`, jsonRequest('PATCH', body, { ...admin, ...headers }));
const restock = (id: string, quantity: number, headers: Record<string, string> = {}) =>
  gateway.request(`/api/products/${id}/restock`, jsonRequest('POST', { quantity }, { ...admin, ...headers }));

describe('ETags through the gateway', () => {
  it('answers every product response with the ETag; If-None-Match → 304 without body', async () => {
    const created = await gateway.request(
      '/api/products',
      jsonRequest('POST', { sku: 'GW-ETAG-1', name: 'Mug', priceCents: 1200, stock: 2 }, admin),
    );
    expect(created.status).toBe(201);
    const { id } = await readBody(created);
    const etag = created.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const got = await gateway.request(`/api/products/${id}`);
    expect(got.headers.get('etag')).toBe(etag);
    const cached = await gateway.request(`/api/products/${id}`, { headers: { 'if-none-match': etag! } });
    expect([cached.status, await cached.text(), cached.headers.get('etag')]).toEqual([304, '', etag]);
    const other = await gateway.request(`/api/products/${id}`, { headers: { 'if-none-match': '"r0s0"' } });
    expect(other.status).toBe(200);
  });

  it('applies If-Match edits on the current state and refuses stale ones with 412, nothing changed', async () => {
    const created = await gateway.request(
      '/api/products',
      jsonRequest('POST', { sku: 'GW-ETAG-2', name: 'Cup', priceCents: 500, stock: 1 }, admin),
    );
    const { id } = await readBody(created);
    const first = created.headers.get('etag')!;
    const renamed = await patch(id, { name: 'Big cup' }, { 'if-match': first });
    expect(renamed.status).toBe(200);
    const second = renamed.headers.get('etag')!;
    expect(second).not.toBe(first);

    const stale = await patch(id, { priceCents: 1 }, { 'if-match': first });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(await readBody(stale)).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    const staleRestock = await restock(id, 5, { 'if-match': first });
    expect(staleRestock.status).toBe(412);
    expect(await readBody(await gateway.request(`/api/products/${id}`))).toMatchObject({
      name: 'Big cup',
      priceCents: 500,
      stock: 1,
    });

    const restocked = await restock(id, 5, { 'if-match': second });
    expect(restocked.status).toBe(200);
    expect(await readBody(restocked)).toMatchObject({ stock: 6 });
    expect(restocked.headers.get('etag')).not.toBe(second);
  });

  it('keeps both of concurrent PATCHes of different fields without If-Match', async () => {
    const created = await gateway.request(
      '/api/products',
      jsonRequest('POST', { sku: 'GW-ETAG-3', name: 'Plate', priceCents: 100 }, admin),
    );
    const { id } = await readBody(created);
    for (let round = 1; round <= 10; round++) {
      const answers = await Promise.all([patch(id, { description: `d${round}` }), patch(id, { priceCents: round })]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const now = await readBody(await gateway.request(`/api/products/${id}`));
      expect([now.description, now.priceCents]).toEqual([`d${round}`, round]);
    }
  });

  it('documents the headers and the 412 in the OpenAPI document', async () => {
    const doc = await readBody(await gateway.request('/openapi.json'));
    const item = doc.paths['/api/products/{id}'];
    expect(item.get.responses['304']).toBeDefined();
    expect(item.get.responses['200'].headers.ETag).toBeDefined();
    expect(item.get.parameters.map((p: { name: string }) => p.name)).toContain('if-none-match');
    expect(item.patch.responses['412']).toBeDefined();
    expect(item.patch.parameters.map((p: { name: string }) => p.name)).toContain('if-match');
  });
});
