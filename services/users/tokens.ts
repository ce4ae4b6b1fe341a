import { SignJWT } from 'jose';
import type { AccessClaims, TokenResponse } from '../../contracts/users.js';
import { JWT_ALG, type PublicJwk, type SigningKeys } from './keys.js';

export interface TokenIssuerOptions {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Seconds since the epoch; injectable so tests can mint expired tokens. */
  now?: () => number;
}

export interface TokenIssuer {
  issue: (claims: AccessClaims) => Promise<TokenResponse>;
  jwks: () => { keys: PublicJwk[] };
}

export function createTokenIssuer({
  keys,
  issuer,
  audience,
  ttlSeconds,
  now = () => Math.floor(Date.now() / 1000),
}: TokenIssuerOptions): TokenIssuer {
  return {
    issue: async ({ sub, role }) => {
      const issuedAt = now();
      const accessToken = await new SignJWT({ role })
        .setProtectedHeader({ alg: JWT_ALG, kid: keys.signing.kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .setJti(crypto.randomUUID())
        .sign(keys.signing.key);
      return { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
    },
    jwks: () => ({ keys: keys.publicJwks }),
  };
}
