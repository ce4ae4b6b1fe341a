import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ErrorCode } from '../../contracts/problem.js';
import { LoginRequest, PublicUser, RegisterRequest, TokenResponse } from '../../contracts/users.js';
import { ProblemError } from '../../lib/problem.js';
import { ServiceRejectedError } from '../../lib/service-transport.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import { bearer, json, jsonBody, pick } from '../openapi/schemas.js';
import type { Limiter } from '../rate-limits/limiter.js';
import { withinLoginBudget } from '../rate-limits/login-attempts.js';
import type { UsersClient } from '../upstream.js';

export interface UserRoutesDeps {
  users: UsersClient;
  verifyToken: VerifyToken;
  /** Login attempts per account: one is taken before the password is checked, given back when it was right. */
  loginAttempts: Limiter;
}

const register = createRoute({
  method: 'post',
  path: '/api/users/register',
  tags: ['users'],
  summary: 'Create a customer account',
  request: { body: jsonBody(RegisterRequest) },
  responses: { 201: json(PublicUser, 'The new account'), ...pick(400, 409, 413, 429, 503) },
});
const login = createRoute({
  method: 'post',
  path: '/api/users/login',
  tags: ['users'],
  summary: 'Exchange credentials for an access token',
  request: { body: jsonBody(LoginRequest) },
  responses: { 200: json(TokenResponse, 'An access token'), ...pick(400, 401, 413, 429, 503) },
});
const me = createRoute({
  method: 'get',
  path: '/api/users/me',
  tags: ['users'],
  summary: 'The caller',
  security: bearer,
  responses: { 200: json(PublicUser, 'The authenticated user'), ...pick(401, 429, 503) },
});

export function registerUserRoutes(app: OpenAPIHono<GatewayEnv>, deps: UserRoutesDeps): void {
  app.openapi(register, async (c) => c.json(await deps.users.register(c.req.valid('json'), c.get('requestId')), 201));

  app.openapi(login, async (c) => {
    const body = c.req.valid('json');
    const login = () => deps.users.login(body, c.get('requestId'));
    return c.json(await withinLoginBudget(deps.loginAttempts, body.email, login), 200);
  });

  app.openapi({ ...me, middleware: authenticate(deps.verifyToken) }, async (c) => {
    try {
      const { id, email, name, role } = await deps.users.get(c.get('caller').sub, c.get('requestId'));
      return c.json({ id, email, name, role }, 200);
    } catch (error) {
      // A valid token for an account that no longer exists proves nothing.
      if (error instanceof ServiceRejectedError && error.status === 404)
        throw new ProblemError(401, ErrorCode.UNAUTHORIZED, 'The account no longer exists');
      throw error;
    }
  });
}
