import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, jwtVerify, SignJWT, generateKeyPair, type JSONWebKeySet } from 'jose';
import {
  TOKEN_AUDIENCE_DEFAULT,
  TOKEN_ISSUER_DEFAULT,
  type PublicUser,
  type TokenResponse,
} from '../../contracts/users.js';
import { createTokenIssuer, type TokenIssuerOptions } from './tokens.js';
import { createHarness, post, type Harness } from './test-support/harness.js';

let h: Harness;
let user: PublicUser;
let token: string;
let jwks: ReturnType<typeof createLocalJWKSet>;
const expected = { issuer: TOKEN_ISSUER_DEFAULT, audience: TOKEN_AUDIENCE_DEFAULT, algorithms: ['EdDSA'] };

beforeAll(async () => {
  h = await createHarness('users_tokens');
  user = (await (
    await post(h.app, '/v1/users', { email: 'tokens@example.com', password: 'token-passphrase', name: 'T' })
  ).json()) as PublicUser;
  token = (
    (await (
      await post(h.app, '/v1/sessions', { email: 'tokens@example.com', password: 'token-passphrase' })
    ).json()) as TokenResponse
  ).accessToken;
  // What the gateway does: verify against the JWKS the service publishes.
  jwks = createLocalJWKSet((await (await h.app.request('/.well-known/jwks.json')).json()) as JSONWebKeySet);
});
afterAll(async () => h?.close());

const mint = (options: Partial<TokenIssuerOptions>) =>
  createTokenIssuer({
    keys: h.keys,
    issuer: TOKEN_ISSUER_DEFAULT,
    audience: TOKEN_AUDIENCE_DEFAULT,
    ttlSeconds: 900,
    ...options,
  }).issue({ sub: user.id, role: 'customer' });
const segments = (jwt: string) => jwt.split('.') as [string, string, string];
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An admin token for `user` signed by a key the service never had, under the given kid. */
async function signWithForeignKey(kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER_DEFAULT)
    .setAudience(TOKEN_AUDIENCE_DEFAULT)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe('access tokens verified against the served JWKS', () => {
  it('accepts a token from login', async () => {
    const { payload, protectedHeader } = await jwtVerify(token, jwks, expected);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: h.keys.signing.kid });
    expect(payload).toMatchObject({ sub: user.id, role: 'customer' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
  });

  it('rejects an expired token', async () => {
    const { accessToken } = await mint({ now: () => Math.floor(Date.now() / 1000) - 3600 });
    await expect(jwtVerify(accessToken, jwks, expected)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('rejects a token for another audience', async () => {
    const { accessToken } = await mint({ audience: 'someone-else' });
    await expect(jwtVerify(accessToken, jwks, expected)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  it('rejects a token from another issuer', async () => {
    const { accessToken } = await mint({ issuer: 'evil-issuer' });
    await expect(jwtVerify(accessToken, jwks, expected)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'iss',
    });
  });

  it('rejects an unsigned alg: none token', async () => {
    const [, payload] = segments(token);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT', kid: h.keys.signing.kid })}.${payload}.`;
    await expect(jwtVerify(unsigned, jwks, expected)).rejects.toThrow();
    await expect(jwtVerify(unsigned, jwks)).rejects.toThrow();
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = segments(token);
    const promoted = b64({ ...decodeJwt(token), role: 'admin' });
    await expect(jwtVerify(`${header}.${promoted}.${signature}`, jwks, expected)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('rejects a token signed by a key with an unknown kid', async () => {
    const forged = await signWithForeignKey('unknown-kid');
    await expect(jwtVerify(forged, jwks, expected)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('rejects a token signed by another key under the real kid', async () => {
    const forged = await signWithForeignKey(h.keys.signing.kid);
    await expect(jwtVerify(forged, jwks, expected)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });
});
