import type { Hono } from 'hono';
import { LoginRequest, RegisterRequest, SetStatusRequest } from '../../contracts/users.js';
import { readJson, type AppEnv } from '../../lib/service-app.js';
import type { Accounts } from './accounts.js';
import type { TokenIssuer } from './tokens.js';

export function registerUserRoutes(app: Hono<AppEnv>, accounts: Accounts, tokens: TokenIssuer): void {
  app.post('/v1/users', async (c) => c.json(await accounts.register(await readJson(c, RegisterRequest)), 201));
  app.post('/v1/sessions', async (c) => c.json(await accounts.login(await readJson(c, LoginRequest))));
  app.get('/v1/users/:id', async (c) => c.json(await accounts.get(c.req.param('id'))));
  app.put('/v1/users/:id/status', async (c) => {
    const { status } = await readJson(c, SetStatusRequest);
    return c.json(await accounts.setStatus(c.req.param('id'), status));
  });
  // Public on purpose: the gateway verifies access tokens with these keys.
  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(tokens.jwks());
  });
}
