import { describe, expect, it } from 'vitest';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import { SERVICE_TOKEN } from '../test-support/fake-services.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';

const fx = useGatewayFixtures();

const register = (app: ReturnType<typeof buildGateway>['app'], body: unknown, headers: Record<string, string> = {}) =>
  app.request('/api/users/register', jsonRequest('POST', body, headers));
const login = (app: ReturnType<typeof buildGateway>['app'], email: string, password: string) =>
  app.request('/api/users/login', jsonRequest('POST', { email, password }));

describe('users routes', () => {
  it('registers (201), forwarding the request id and the service token, never the client credential', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const res = await register(
      app,
      { email: 'Ann@Example.com', password: 'correct horse', name: 'Ann' },
      { 'x-request-id': 'req-reg-1', authorization: 'Bearer client-token' },
    );
    expect(res.status).toBe(201);
    expect(await readBody(res)).toEqual({
      id: expect.any(String),
      email: 'Ann@Example.com',
      name: 'Ann',
      role: 'customer',
    });
    const upstream = fx.services.seen.find((s) => s.requestId === 'req-reg-1');
    expect(upstream).toMatchObject({ method: 'POST', path: '/v1/users', authorization: `Bearer ${SERVICE_TOKEN}` });
  });

  it('passes the service refusal through: 409 EMAIL_TAKEN', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    await register(app, { email: 'dup@example.com', password: 'password1', name: 'D' });
    const res = await register(app, { email: 'DUP@example.com', password: 'password1', name: 'D' });
    expect(res.status).toBe(409);
    expect(await readBody(res)).toMatchObject({ code: 'EMAIL_TAKEN', status: 409 });
  });

  it.each([
    ['invalid email', { email: 'nope', password: 'password1', name: 'x' }, 'email'],
    ['short password', { email: 'a@example.com', password: 'short', name: 'x' }, 'password'],
    ['long password', { email: 'a@example.com', password: 'p'.repeat(129), name: 'x' }, 'password'],
    ['empty name', { email: 'a@example.com', password: 'password1', name: '  ' }, 'name'],
    ['operator object', { email: { $ne: null }, password: 'password1', name: 'x' }, 'email'],
  ])('refuses %s with 400 and errors[] before calling the service', async (_n, body, path) => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const before = fx.services.seen.length;
    const res = await register(app, body);
    expect(res.status).toBe(400);
    const problem = await readBody(res);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(fx.services.seen.length).toBe(before);
  });

  it('logs in (200) and answers 401 INVALID_CREDENTIALS for a wrong password', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    await register(app, { email: 'bob@example.com', password: 'password1', name: 'Bob' });
    const ok = await login(app, 'bob@example.com', 'password1');
    expect(ok.status).toBe(200);
    expect(await readBody(ok)).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const bad = await login(app, 'bob@example.com', 'wrong-password');
    expect(bad.status).toBe(401);
    expect(await readBody(bad)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('after RATE_LIMIT_LOGIN_FAILURES failures the next attempt is 429 even with the right password, per account', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_LOGIN_FAILURES: 3 });
    await register(gw.app, { email: 'carol@example.com', password: 'password1', name: 'Carol' });
    await register(gw.app, { email: 'dave@example.com', password: 'password1', name: 'Dave' });
    for (let i = 0; i < 3; i++) expect((await login(gw.app, 'carol@example.com', 'nope-nope')).status).toBe(401);
    const locked = await login(gw.app, ' CAROL@example.com', 'password1');
    expect(locked.status).toBe(429);
    expect(await readBody(locked)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    expect((await login(gw.app, 'dave@example.com', 'password1')).status).toBe(200);
    gw.advance(15 * 60_000 + 1);
    expect((await login(gw.app, 'carol@example.com', 'password1')).status).toBe(200);
  });

  it('30 parallel wrong logins against a limit of 10: at most 10 reach the users service (defect 5)', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_LOGIN_FAILURES: 10 });
    const email = 'parallel@example.com';
    await register(gw.app, { email, password: 'password1', name: 'P' });
    const answers = await Promise.all(Array.from({ length: 30 }, async (_, i) => login(gw.app, email, `guess-${i}`)));
    const reached = fx.services.seen.filter(
      (s) => s.path === '/v1/sessions' && (s.body as { email?: string }).email === email,
    );
    expect(reached.length).toBeLessThanOrEqual(10);
    expect(answers.filter((res) => res.status !== 429).length).toBeLessThanOrEqual(10);
  });

  it('RATE_LIMIT_LOGIN_FAILURES=0 never locks an account', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_LOGIN_FAILURES: 0 });
    await register(gw.app, { email: 'erin@example.com', password: 'password1', name: 'Erin' });
    for (let i = 0; i < 25; i++) expect((await login(gw.app, 'erin@example.com', 'nope-nope')).status).toBe(401);
    expect((await login(gw.app, 'erin@example.com', 'password1')).status).toBe(200);
  });

  it('/me needs a valid token and returns the account', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const created = await readBody(
      await register(app, { email: 'fay@example.com', password: 'password1', name: 'Fay' }),
    );
    const token = await fx.issuer.sign(created.id);
    const me = await app.request('/api/users/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await readBody(me)).toEqual({ id: created.id, email: 'fay@example.com', name: 'Fay', role: 'customer' });
    const missing = await app.request('/api/users/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await readBody(missing)).toMatchObject({ code: 'UNAUTHORIZED' });
    for (const bad of [
      'garbage',
      await fx.issuer.forge(created.id),
      fx.issuer.unsigned(created.id),
      await fx.issuer.sign(created.id, { expiresIn: 1 }),
    ]) {
      const res = await app.request('/api/users/me', { headers: { authorization: `Bearer ${bad}` } });
      expect(res.status).toBe(401);
    }
    const ghost = await app.request('/api/users/me', {
      headers: { authorization: `Bearer ${await fx.issuer.sign('u_ghost')}` },
    });
    expect(ghost.status).toBe(401);
  });

  it('a dead users service gives a fast 503 SERVICE_UNAVAILABLE', async () => {
    const dead = { ...fx.services, urls: { ...fx.services.urls, users: 'http://127.0.0.1:9' } };
    const { app } = buildGateway(dead, fx.issuer);
    const started = Date.now();
    const res = await register(app, { email: 'g@example.com', password: 'password1', name: 'G' });
    expect(res.status).toBe(503);
    expect(await readBody(res)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
