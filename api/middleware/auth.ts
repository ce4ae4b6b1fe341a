import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ErrorCode } from '../../contracts/problem.js';
import { Role } from '../../contracts/users.js';
import { ProblemError } from '../../lib/problem.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import type { Caller, GatewayEnv } from '../context.js';

export type VerifyToken = (token: string) => Promise<Caller>;

export interface JwtVerifierOptions {
  /** A key source: `createRemoteJWKSet(url)` in production, a local JWKS in tests. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** How long a verified token is taken on trust again (never past its `exp`); 0: verify every time. */
  trustForMs?: number;
  clock?: () => number;
}

/** Tokens a gateway remembers as verified at most (oldest forgotten first). */
const MAX_TRUSTED_TOKENS = 10_000;

const unauthorized = (detail: string) =>
  new ProblemError(401, ErrorCode.UNAUTHORIZED, detail, {}, { 'WWW-Authenticate': 'Bearer' });

/** The users service JWKS, fetched once and cached by jose (refetched on an unknown kid). */
export function remoteKeys(usersUrl: string, timeoutMs = 5000): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL('/.well-known/jwks.json', usersUrl), {
    timeoutDuration: timeoutMs,
    cooldownDuration: 30_000,
  });
}

/** Verifies EdDSA access tokens only: `alg: none`, HMAC and other algorithms are refused before any key lookup. */
export function createJwtVerifier(options: JwtVerifierOptions): VerifyToken {
  const { trustForMs = 30_000, clock = Date.now } = options;
  const verify = verifyJwt(options);
  // The signature check is most of a request's CPU: the same token bytes verified a moment ago verify again.
  const trusted = new Map<string, { caller: Caller; until: number }>();
  return async (token) => {
    const known = trusted.get(token);
    if (known && clock() < known.until) return known.caller;
    trusted.delete(token);
    const { caller, expiresAt } = await verify(token);
    if (trustForMs > 0) {
      if (trusted.size >= MAX_TRUSTED_TOKENS) trusted.delete(trusted.keys().next().value!);
      trusted.set(token, { caller, until: Math.min(expiresAt, clock() + trustForMs) });
    }
    return caller;
  };
}

function verifyJwt({ keys, issuer, audience }: JwtVerifierOptions) {
  return async (token: string): Promise<{ caller: Caller; expiresAt: number }> => {
    try {
      if (decodeProtectedHeader(token).alg !== 'EdDSA') throw unauthorized('Unsupported token algorithm');
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      throw unauthorized('The access token is malformed');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['EdDSA'],
        issuer,
        audience,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      // Not being able to fetch the keys is our outage, not a bad token.
      if (isKeySourceFailure(error)) {
        throw new ServiceUnavailableError('users', `JWKS: ${(error as Error).message}`);
      }
      throw unauthorized(
        error instanceof errors.JWTExpired ? 'The access token has expired' : 'The access token is invalid',
      );
    }
    const role = Role.safeParse(payload.role);
    if (!payload.sub || !role.success) throw unauthorized('The access token is invalid');
    return { caller: { sub: payload.sub, role: role.data }, expiresAt: payload.exp! * 1000 };
  };
}

function isKeySourceFailure(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC'
  );
}

/** Requires a valid bearer token; with roles, also one of those roles (else 403). */
export function authenticate(verify: VerifyToken, roles?: readonly Role[]): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('A bearer access token is required');
    const caller = await verify(match[1]);
    if (roles && !roles.includes(caller.role)) {
      throw new ProblemError(403, ErrorCode.FORBIDDEN, `This action requires the ${roles.join(' or ')} role`);
    }
    c.set('caller', caller);
    await next();
  };
}
