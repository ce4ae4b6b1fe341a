import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../contracts/users.js';
import { buildGateway, jsonRequest } from '../api/test-support/gateway.js';
import { startFakeServices, type FakeServices } from '../api/test-support/fake-services.js';
import { createTokenIssuer } from '../api/test-support/tokens.js';
import { createJwtVerifier, remoteKeys } from '../api/middleware/auth.js';
import { startHttpServer, type RunningServer } from '../lib/http-server.js';
import { createHarness, type Harness } from '../services/users/test-support/harness.js';

// The real gateway in front of the real users service (PostgreSQL, argon2id) over HTTP, the users
// service able to verify one password at a time with no queue: a burst of logins is mostly shed.
let users: Harness;
let usersServer: RunningServer;
let fakes: FakeServices;
let issuer: Awaited<ReturnType<typeof createTokenIssuer>>;
let gateway: ReturnType<typeof buildGateway>['app'];

beforeAll(async () => {
  users = await createHarness('gateway_overload', { concurrent: 1, queued: 0, maxWaitMs: 60_000 });
  usersServer = await startHttpServer(users.app, 0);
  fakes = await startFakeServices();
  issuer = await createTokenIssuer();
  const verifyToken = createJwtVerifier({
    keys: remoteKeys(usersServer.url),
    issuer: TOKEN_ISSUER_DEFAULT,
    audience: TOKEN_AUDIENCE_DEFAULT,
  });
  const services = { ...fakes, urls: { ...fakes.urls, users: usersServer.url } };
  gateway = buildGateway(services, issuer, { RATE_LIMIT_LOGIN_FAILURES: 0 }, { verifyToken }).app;
});
afterAll(async () => {
  await usersServer?.close();
  await Promise.all([users?.close(), fakes?.close(), issuer?.close()]);
});

const customer = { email: 'steady@example.com', password: 'steady-passphrase', name: 'Steady' };
const login = (email: string, password: string) =>
  gateway.request('/api/users/login', jsonRequest('POST', { email, password }));

describe('a login flood against the users service', () => {
  it('passes its 503 OVERLOADED and Retry-After to the client and leaves /me and logins working', async () => {
    expect((await gateway.request('/api/users/register', jsonRequest('POST', customer))).status).toBe(201);
    const token = ((await (await login(customer.email, customer.password)).json()) as { accessToken: string })
      .accessToken;

    const flood = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const response = await login(`flood-${randomUUID()}@example.com`, 'a-guessed-passphrase');
        const body = (await response.json()) as { code: string };
        return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
      }),
    );
    const shed = flood.filter((answer) => answer.status === 503);
    // More than the breaker's five consecutive failures, each one the service's own answer.
    expect(shed.length).toBeGreaterThan(5);
    expect(shed).toEqual(shed.map(() => ({ status: 503, code: 'OVERLOADED', retryAfter: '1' })));

    const me = await gateway.request('/api/users/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: customer.email });
    expect((await login(customer.email, customer.password)).status).toBe(200);
  });
});
