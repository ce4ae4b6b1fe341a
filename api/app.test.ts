import { describe, expect, it } from 'vitest';
import { buildGateway, jsonRequest, readBody } from './test-support/gateway.js';
import { useGatewayFixtures } from './test-support/fixtures.js';
import { SERVICE_TOKEN } from './test-support/fake-services.js';

const fx = useGatewayFixtures();

const expectProblem = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await readBody(res);
  expect(body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  return body;
};

describe('the gateway frame', () => {
  it('echoes a valid X-Request-Id, replaces an invalid one, generates one otherwise', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const echoed = await app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'bad id<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await app.request('/nope');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a 404 problem and wrong methods with 405 + Allow', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    await expectProblem(await app.request('/api/nothing-here'), 404, 'NOT_FOUND');
    const wrong = await app.request('/api/products/p_1', { method: 'DELETE' });
    await expectProblem(wrong, 405, 'METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, PATCH');
    expect(wrong.headers.get('x-request-id')).toBeTruthy();
    expect((await app.request('/api/products', { method: 'HEAD' })).status).toBe(200);
    const put = await app.request('/api/users/login', { method: 'GET' });
    await expectProblem(put, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toBe('POST');
    expect((await app.request('/healthz', { method: 'POST' })).status).toBe(405);
  });

  it('answers an id that cannot exist with 404, like an unknown one', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const id = 'x'.repeat(129);
    const patch = { method: 'PATCH', headers: { ...fx.auth.root, 'content-type': 'application/json' } };
    await expectProblem(await app.request(`/api/products/${id}`), 404, 'NOT_FOUND');
    await expectProblem(await app.request(`/api/products/${id}`, { ...patch, body: '{"name":"x"}' }), 404, 'NOT_FOUND');
    await expectProblem(await fx.getOrder(app, 'alice', id), 404, 'NOT_FOUND');
    await expectProblem(await fx.cancel(app, 'alice', id), 404, 'NOT_FOUND');
    const events = await app.request(`/api/orders/${id}/events`, { headers: fx.auth.alice });
    await expectProblem(events, 404, 'NOT_FOUND');
    expect((await app.request(`/api/orders/${id}`)).status).toBe(401);
  });

  it('rejects bodies over BODY_LIMIT_BYTES with 413, by header and by streamed size', async () => {
    const { app } = buildGateway(fx.services, fx.issuer, { BODY_LIMIT_BYTES: 1024 });
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2000), name: 'n' });
    await expectProblem(await app.request('/api/users/register', jsonRequest('POST', big)), 413, 'PAYLOAD_TOO_LARGE');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await app.request('/api/users/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    await expectProblem(chunked, 413, 'PAYLOAD_TOO_LARGE');
    expect(chunked.headers.get('x-request-id')).toBeTruthy();
  });

  it('reads every body as JSON: malformed or non-JSON content is 400 MALFORMED_JSON', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    await expectProblem(
      await app.request('/api/users/login', jsonRequest('POST', '{"email": "a@b.co",')),
      400,
      'MALFORMED_JSON',
    );
    const text = await app.request('/api/users/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'email=a',
    });
    await expectProblem(text, 400, 'MALFORMED_JSON');
    const form = await app.request('/api/users/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a',
    });
    await expectProblem(form, 400, 'MALFORMED_JSON');
    const curlStyle = await app.request('/api/users/register', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ email: 'curl@example.com', password: 'password-1', name: 'Curl' }),
    });
    expect(curlStyle.status).toBe(201);
    const spacedType = await app.request('/api/users/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json ; charset=utf-8' },
      body: JSON.stringify({ email: 'spaced@example.com', password: 'password-1', name: 'Spaced' }),
    });
    expect(spacedType.status).toBe(201);
    const none = await app.request('/api/users/login', { method: 'POST' });
    const body = await expectProblem(none, 400, 'VALIDATION_FAILED');
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('sets secure headers, and CORS only for allowed origins', async () => {
    const { app } = buildGateway(fx.services, fx.issuer, { CORS_ORIGINS: ['https://shop.example'] });
    const res = await app.request('/api/products', { headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await app.request('/api/products', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/api/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('x-request-id')).toBeTruthy();
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
  });

  it('limits requests per client IP per minute with 429 + Retry-After, and 0 turns it off', async () => {
    const limited = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_IP_PER_MIN: 3 });
    const hit = (ip: string) => limited.app.request('/api/products', { headers: { 'x-test-ip': ip } });
    for (let i = 0; i < 3; i++) expect((await hit('10.0.0.1')).status).toBe(200);
    const refused = await hit('10.0.0.1');
    await expectProblem(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    expect((await hit('10.0.0.2')).status).toBe(200);
    expect((await limited.app.request('/healthz', { headers: { 'x-test-ip': '10.0.0.1' } })).status).toBe(200);
    limited.advance(59_999);
    expect((await hit('10.0.0.1')).status).toBe(429); // three within the last minute still
    limited.advance(1);
    expect((await hit('10.0.0.1')).status).toBe(200);

    const open = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_IP_PER_MIN: 0 });
    for (let i = 0; i < 50; i++) expect((await open.app.request('/api/products')).status).toBe(200);
  });
});

describe('health, metrics and docs', () => {
  it('serves /healthz, /metrics and a /readyz that names what is down', async () => {
    const { app, temporal, advance } = buildGateway(fx.services, fx.issuer);
    expect((await app.request('/healthz')).status).toBe(200);
    await expectProblem(await app.request('/metrics'), 401, 'UNAUTHORIZED');
    const scrape = { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } };
    const metrics = await app.request('/metrics', scrape);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_requests_total');
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await readBody(ready)).toMatchObject({
      checks: { temporal: 'up', users: 'up', products: 'up', orders: 'up' },
    });
    temporal.setTemporalDown(true);
    advance(1_000); // /readyz answers from a result up to 1 s old
    const notReady = await app.request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await readBody(notReady)).toMatchObject({ checks: { temporal: 'down', users: 'up' }, down: ['temporal'] });
  });

  it('publishes an OpenAPI 3.1 document listing every contract route with bearer security', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const doc = await readBody(await app.request('/openapi.json'));
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.filter((r) => r.includes(' /api/')).sort()).toEqual(
      [
        'POST /api/users/register',
        'POST /api/users/login',
        'GET /api/users/me',
        'GET /api/products',
        'GET /api/products/{id}',
        'POST /api/products',
        'PATCH /api/products/{id}',
        'POST /api/products/{id}/restock',
        'POST /api/orders',
        'GET /api/orders/{id}',
        'GET /api/orders',
        'POST /api/orders/{id}/cancel',
        'GET /api/admin/orders',
        'GET /api/admin/operator',

        'GET /api/orders/{id}/events',
      ].sort(),
    );
    expect(routes).toEqual(expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics']));
    expect(doc.paths['/api/orders'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/orders'].post.requestBody.content['application/json'].schema.properties.items.maxItems).toBe(
      50,
    );
    // As strict as the validation behind it, so a schema-driven client is not refused what the document allows.
    const bodyOf = (path: string, method: string) =>
      doc.paths[path][method].requestBody.content['application/json'].schema;
    expect(bodyOf('/api/users/register', 'post').properties.email.format).toBe('email');
    expect(bodyOf('/api/products/{id}', 'patch').minProperties).toBe(1);
    expect(doc.paths['/api/orders'].post.responses['429'].headers['Retry-After'].schema.type).toBe('integer');
    expect(Object.keys(doc.paths['/readyz'].get.responses['503'].content)).toEqual(['application/problem+json']);
    expect(doc.paths['/metrics'].get.security).toEqual([{ serviceToken: [] }]);
    expect(Object.keys(doc.paths['/metrics'].get.responses).sort()).toEqual(['200', '401']);
  });

  it('serves Swagger UI whose scripts and styles are all local and exist', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith('/docs/assets/')).toBe(true);
      const asset = await app.request(ref);
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(10);
    }
    const init = await (await app.request('/docs/assets/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    expect((await app.request('/docs/assets/../../package.json')).status).toBe(404);
  });
});
