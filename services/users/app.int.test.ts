import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicUser, UserRecord } from '../../contracts/users.js';
import { auth, createHarness, json, post, put, type Harness } from './test-support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('users_app');
});
afterAll(async () => h?.close());

const PASSWORD = 'sup3r-secret-passphrase';
/** The i-th spelling of `email`: bit (position mod 5) of i decides upper or lower case. */
const caseVariant = (email: string, i: number) =>
  [...email].map((ch, at) => ((i >> (at % 5)) & 1 ? ch.toUpperCase() : ch)).join('');
const problemOf = async (response: Response) => ({
  status: response.status,
  type: response.headers.get('content-type'),
  body: (await response.json()) as Record<string, unknown>,
});

describe('POST /v1/users', () => {
  it('registers a customer with a normalised email and never returns the password or hash', async () => {
    const response = await post(h.app, '/v1/users', { email: '  Ada@Example.COM ', password: PASSWORD, name: ' Ada ' });
    expect(response.status).toBe(201);
    const text = await response.text();
    const user = PublicUser.strict().parse(JSON.parse(text));
    expect(user).toEqual({ id: expect.any(String), email: 'ada@example.com', name: 'Ada', role: 'customer' });
    expect(text).not.toMatch(/password|argon2/i);
    const [row] = await h.sql`select email, password_hash from users where id = ${user.id}`;
    expect(row?.email).toBe('ada@example.com');
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('refuses a case-variant of a registered email with 409 EMAIL_TAKEN', async () => {
    const response = await post(h.app, '/v1/users', { email: 'ADA@example.com', password: PASSWORD, name: 'Other' });
    expect(await problemOf(response)).toMatchObject({
      status: 409,
      type: 'application/problem+json',
      body: { code: 'EMAIL_TAKEN' },
    });
  });

  it.each([
    ['an invalid email', { email: 'not-an-email', password: PASSWORD, name: 'A' }, 'email'],
    ['a password under 8 characters', { email: 'short@example.com', password: '1234567', name: 'A' }, 'password'],
    ['a password over 128 characters', { email: 'long@example.com', password: 'x'.repeat(129), name: 'A' }, 'password'],
    ['an empty name', { email: 'noname@example.com', password: PASSWORD, name: '   ' }, 'name'],
    ['a missing field', { email: 'missing@example.com', password: PASSWORD }, 'name'],
  ])('rejects %s with 400 VALIDATION_FAILED and errors[]', async (_label, body, path) => {
    const { status, body: problem } = await problemOf(await post(h.app, '/v1/users', body));
    expect(status).toBe(400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([expect.objectContaining({ path, message: expect.any(String) })]);
  });

  it('accepts a password of exactly 8 and exactly 128 characters', async () => {
    expect(
      (await post(h.app, '/v1/users', { email: 'eight@example.com', password: '12345678', name: 'E' })).status,
    ).toBe(201);
    expect(
      (await post(h.app, '/v1/users', { email: 'max@example.com', password: 'y'.repeat(128), name: 'M' })).status,
    ).toBe(201);
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await h.app.request('/v1/users', { method: 'POST', headers: json, body: '{"email":' });
    expect(await problemOf(response)).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
  });

  it('lets exactly one of 20 concurrent registrations of case-variants of one email win', async () => {
    const variants = Array.from({ length: 20 }, (_, i) => caseVariant('race.condition@example.com', i));
    expect(new Set(variants).size).toBe(20);
    const responses = await Promise.all(
      variants.map((email, i) => post(h.app, '/v1/users', { email, password: PASSWORD, name: `Racer ${i}` })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const rows = await h.sql`select count(*)::int as n from users where lower(email) = 'race.condition@example.com'`;
    expect(rows[0]?.n).toBe(1);
  });
});

describe('GET /v1/users/:id and PUT /v1/users/:id/status', () => {
  let id: string;
  beforeAll(async () => {
    const response = await post(h.app, '/v1/users', { email: 'grace@example.com', password: PASSWORD, name: 'Grace' });
    id = ((await response.json()) as PublicUser).id;
  });

  it('returns the user record with status and createdAt', async () => {
    const response = await h.app.request(`/v1/users/${id}`, { headers: auth });
    expect(response.status).toBe(200);
    const record = UserRecord.strict().parse(await response.json());
    expect(record).toMatchObject({ id, email: 'grace@example.com', name: 'Grace', role: 'customer', status: 'active' });
    expect(Date.parse(record.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])(
    'answers 404 NOT_FOUND for unknown id %s',
    async (unknown) => {
      expect(await problemOf(await h.app.request(`/v1/users/${unknown}`, { headers: auth }))).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });
      expect(await problemOf(await put(h.app, `/v1/users/${unknown}/status`, { status: 'disabled' }))).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });
    },
  );

  it('disables and re-activates an account', async () => {
    const disabled = await put(h.app, `/v1/users/${id}/status`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(UserRecord.parse(await disabled.json()).status).toBe('disabled');
    expect(((await (await h.app.request(`/v1/users/${id}`, { headers: auth })).json()) as UserRecord).status).toBe(
      'disabled',
    );
    const active = await put(h.app, `/v1/users/${id}/status`, { status: 'active' });
    expect(UserRecord.parse(await active.json()).status).toBe('active');
  });

  it('rejects an unknown status with 400 VALIDATION_FAILED', async () => {
    expect(await problemOf(await put(h.app, `/v1/users/${id}/status`, { status: 'banned' }))).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });
});

describe('service token and public routes', () => {
  const routes: [string, string][] = [
    ['POST', '/v1/users'],
    ['POST', '/v1/sessions'],
    ['GET', '/v1/users/00000000-0000-4000-8000-000000000000'],
    ['PUT', '/v1/users/00000000-0000-4000-8000-000000000000/status'],
  ];
  it.each(routes)('%s %s answers 401 without or with a wrong service token', async (method, path) => {
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', authorization: 'Bearer wrong-token-wrong-token' },
    ];
    for (const headers of attempts) {
      const response = await h.app.request(path, { method, headers, body: method === 'GET' ? undefined : '{}' });
      expect(await problemOf(response)).toMatchObject({
        status: 401,
        type: 'application/problem+json',
        body: { code: 'UNAUTHORIZED' },
      });
    }
  });

  it('serves the JWKS without a service token, public keys only', async () => {
    const response = await h.app.request('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: h.keys.signing.kid, alg: 'EdDSA', use: 'sig' },
    ]);
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('reports readiness from PostgreSQL', async () => {
    const response = await h.app.request('/readyz');
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: 'up' }, down: [] });
  });
});

describe('secrets', () => {
  it('never wrote a password or a password hash to the log', async () => {
    const hashes = (await h.sql`select password_hash from users`).map((row) => String(row.password_hash));
    expect(hashes.length).toBeGreaterThanOrEqual(5);
    expect(h.logs.lines.length).toBeGreaterThan(20);
    for (const secret of [PASSWORD, '$argon2', ...hashes]) expect(h.logs.text()).not.toContain(secret);
  });
});
