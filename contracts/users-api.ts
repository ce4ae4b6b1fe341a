import { z } from 'zod';
import { route } from './api.js';
import { LoginRequest, PublicUser, RegisterRequest, SetStatusRequest, TokenResponse, UserRecord } from './users.js';

/** The public half of an Ed25519 signing key, as the JWKS publishes it. */
export const PublicJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
export type PublicJwk = z.infer<typeof PublicJwk>;
const Jwks = z.object({ keys: z.array(PublicJwk) });

/** Internal HTTP API of services/users (every /v1 route requires the service token). */
export const usersApi = {
  register: route({ method: 'POST', path: '/v1/users', body: RegisterRequest, response: PublicUser, status: 201 }),
  login: route({ method: 'POST', path: '/v1/sessions', body: LoginRequest, response: TokenResponse }),
  get: route({ method: 'GET', path: '/v1/users/:id', response: UserRecord }),
  setStatus: route({ method: 'PUT', path: '/v1/users/:id/status', body: SetStatusRequest, response: UserRecord }),
  /** Public on purpose: the gateway verifies access tokens with these keys. */
  jwks: route({ method: 'GET', path: '/.well-known/jwks.json', response: Jwks }),
};
