import { Hono } from 'hono';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../contracts/users.js';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';

export interface SignOptions {
  role?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  key?: CryptoKey;
  kid?: string;
}

/** An Ed25519 signer like the users service's, with its JWKS served over real HTTP. */
export async function createTokenIssuer() {
  const own = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  const jwksApp = new Hono().get('/.well-known/jwks.json', (c) => c.json({ keys: [jwk] }));
  const server: RunningServer = await startHttpServer(jwksApp, 0);

  const sign = (sub: string, options: SignOptions = {}) =>
    new SignJWT({ role: options.role ?? 'customer' })
      .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? 'k1' })
      .setSubject(sub)
      .setIssuer(options.issuer ?? TOKEN_ISSUER_DEFAULT)
      .setAudience(options.audience ?? TOKEN_AUDIENCE_DEFAULT)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '15m')
      .sign(options.key ?? own.privateKey);

  return {
    url: server.url,
    sign,
    /** Same claims, signed by a key the JWKS does not hold (but claiming its kid). */
    forge: (sub: string, options: SignOptions = {}) => sign(sub, { ...options, key: stranger.privateKey }),
    /** An unsigned token (`alg: none`) claiming to be admin. */
    unsigned: (sub: string) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub, role: 'admin', iss: TOKEN_ISSUER_DEFAULT, aud: TOKEN_AUDIENCE_DEFAULT, iat: now, exp: now + 900 })}.`;
    },
    close: () => server.close(),
  };
}

export type TokenIssuer = Awaited<ReturnType<typeof createTokenIssuer>>;
