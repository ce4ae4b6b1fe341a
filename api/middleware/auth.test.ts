import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../contracts/users.js';
import { ProblemError } from '../../lib/problem.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import { createJwtVerifier, remoteKeys } from './auth.js';
import { createTokenIssuer, type TokenIssuer } from '../test-support/tokens.js';

let issuer: TokenIssuer;
beforeAll(async () => {
  issuer = await createTokenIssuer();
});
afterAll(() => issuer.close());

const verifier = () =>
  createJwtVerifier({ keys: remoteKeys(issuer.url), issuer: TOKEN_ISSUER_DEFAULT, audience: TOKEN_AUDIENCE_DEFAULT });

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createJwtVerifier', () => {
  it('accepts an EdDSA token from the JWKS and returns sub + role', async () => {
    await expect(verifier()(await issuer.sign('u_1', { role: 'admin' }))).resolves.toEqual({
      sub: 'u_1',
      role: 'admin',
    });
  });

  it.each([
    ['garbage', async () => 'not.a.jwt'],
    ['expired', () => issuer.sign('u_1', { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['alg none', async () => issuer.unsigned('u_1')],
    ['wrong audience', () => issuer.sign('u_1', { audience: 'someone-else' })],
    ['wrong issuer', () => issuer.sign('u_1', { issuer: 'evil' })],
    ['signed by another key', () => issuer.forge('u_1', { role: 'admin' })],
    ['unknown role', () => issuer.sign('u_1', { role: 'root' })],
  ])('refuses a %s token with 401 UNAUTHORIZED', async (_name, make) => {
    const error = await rejection(verifier()(await make()));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('refuses an HS256 token even when its secret is the public key material', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u_1')
      .setIssuer(TOKEN_ISSUER_DEFAULT)
      .setAudience(TOKEN_AUDIENCE_DEFAULT)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await rejection(verifier()(token))).toMatchObject({ status: 401 });
  });

  it('reports an unreachable JWKS as an outage, not as a bad token', async () => {
    const dead = createJwtVerifier({
      keys: remoteKeys('http://127.0.0.1:9'),
      issuer: TOKEN_ISSUER_DEFAULT,
      audience: TOKEN_AUDIENCE_DEFAULT,
    });
    expect(await rejection(dead(await issuer.sign('u_1')))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('takes a token it verified on trust again within the window, never past its exp; other bytes are verified afresh', async () => {
    const jwks = (await (await fetch(`${issuer.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const local = createLocalJWKSet(jwks);
    let lookups = 0;
    let now = Date.now();
    const verify = createJwtVerifier({
      keys: (header, token) => {
        lookups += 1;
        return local(header, token);
      },
      issuer: TOKEN_ISSUER_DEFAULT,
      audience: TOKEN_AUDIENCE_DEFAULT,
      trustForMs: 30_000,
      clock: () => now,
    });
    const token = await issuer.sign('u_3', { expiresIn: Math.floor(Date.now() / 1000) + 600 });
    for (let i = 0; i < 3; i++) await expect(verify(token)).resolves.toEqual({ sub: 'u_3', role: 'customer' });
    expect(lookups).toBe(1);
    now += 30_001;
    await verify(token);
    expect(lookups).toBe(2);
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(await rejection(verify(tampered))).toMatchObject({ status: 401 });

    now = Date.now();
    const shortLived = await issuer.sign('u_4', { expiresIn: Math.floor(now / 1000) + 2 });
    await verify(shortLived);
    now += 3_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now - Date.now())));
    expect(await rejection(verify(shortLived))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('works with any key source, such as a local JWKS', async () => {
    const jwks = (await (await fetch(`${issuer.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const local = createJwtVerifier({
      keys: createLocalJWKSet(jwks),
      issuer: TOKEN_ISSUER_DEFAULT,
      audience: TOKEN_AUDIENCE_DEFAULT,
    });
    await expect(local(await issuer.sign('u_2'))).resolves.toEqual({ sub: 'u_2', role: 'customer' });
  });
});
