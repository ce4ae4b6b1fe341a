import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenResponse, type PublicUser } from '../../contracts/users.js';
import { createHarness, post, put, type Harness } from './test-support/harness.js';
import { medianDurations } from './test-support/timing.js';

let h: Harness;
let user: PublicUser;
const PASSWORD = 'login-secret-passphrase';
const DISABLED_PASSWORD = 'disabled-secret-passphrase';

beforeAll(async () => {
  h = await createHarness('users_login');
  user = (await (
    await post(h.app, '/v1/users', { email: 'linus@example.com', password: PASSWORD, name: 'Linus' })
  ).json()) as PublicUser;
  const disabled = (await (
    await post(h.app, '/v1/users', { email: 'off@example.com', password: DISABLED_PASSWORD, name: 'Off' })
  ).json()) as PublicUser;
  await put(h.app, `/v1/users/${disabled.id}/status`, { status: 'disabled' });
});
afterAll(async () => h?.close());

const login = (email: string, password: string) => post(h.app, '/v1/sessions', { email, password });

describe('POST /v1/sessions', () => {
  it('issues an EdDSA access token for the right password, whatever the email case', async () => {
    const response = await login('  LINUS@example.com', PASSWORD);
    expect(response.status).toBe(200);
    const body = TokenResponse.strict().parse(await response.json());
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(decodeProtectedHeader(body.accessToken)).toMatchObject({ alg: 'EdDSA', kid: h.keys.signing.kid });
    const claims = decodeJwt(body.accessToken);
    expect(claims).toMatchObject({
      sub: user.id,
      role: 'customer',
      iss: 'durable-shop-users',
      aud: 'durable-shop-api',
    });
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it('gives one identical 401 for unknown email, wrong password and disabled account', async () => {
    const answers = await Promise.all([
      login('nobody@example.com', PASSWORD),
      login('linus@example.com', 'wrong-password'),
      login('off@example.com', DISABLED_PASSWORD),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(answers.map((r) => r.headers.get('content-type'))).toEqual(Array(3).fill('application/problem+json'));
    expect(JSON.parse(bodies[0]!)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(new Set(bodies).size).toBe(1);
  });

  it('takes comparable time for an unknown email and a wrong password', async () => {
    const refused = (email: string) => async () => expect((await login(email, 'wrong-password')).status).toBe(401);
    const [unknown, known] = await medianDurations(9, refused('nobody@example.com'), refused('linus@example.com'));
    // Both spend one argon2id verification (tens of ms); skipping it would answer in ~1 ms.
    expect(unknown! / known!).toBeGreaterThan(0.4);
    expect(unknown! / known!).toBeLessThan(2.5);
  });

  it('rejects a body that is not credentials with 400', async () => {
    expect((await post(h.app, '/v1/sessions', { email: 'linus@example.com' })).status).toBe(400);
  });

  it('logs register and login outcomes at info, never the password or its hash', async () => {
    const [{ password_hash: hash }] =
      (await h.sql`select password_hash from users where id = ${user.id}`) as unknown as [{ password_hash: string }];
    const logs = h.logs.text();
    const events = h.logs.lines.map(
      (line) => JSON.parse(line) as { level: number; event?: string; outcome?: string; reason?: string },
    );
    expect(events).toContainEqual(expect.objectContaining({ level: 30, event: 'register', outcome: 'created' }));
    expect(events).toContainEqual(expect.objectContaining({ level: 30, event: 'login', outcome: 'success' }));
    expect(events).toContainEqual(
      expect.objectContaining({ level: 30, event: 'login', outcome: 'refused', reason: 'disabled' }),
    );
    for (const secret of [PASSWORD, DISABLED_PASSWORD, 'wrong-password', hash, '$argon2'])
      expect(logs).not.toContain(secret);
  });
});
