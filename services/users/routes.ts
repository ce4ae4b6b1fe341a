import type { Hono } from 'hono';
import { usersApi } from '../../contracts/users-api.js';
import { reply, serveApi, type ServeOptions } from '../../lib/contract-server.js';
import type { AppEnv } from '../../lib/service-app.js';
import type { Accounts } from './accounts.js';
import type { TokenIssuer } from './tokens.js';

export function registerUsersRoutes(
  app: Hono<AppEnv>,
  accounts: Accounts,
  tokens: TokenIssuer,
  options: ServeOptions,
): void {
  serveApi(
    app,
    usersApi,
    {
      register: async ({ body }) => accounts.register(body),
      login: async ({ body }) => accounts.login(body),
      get: async ({ params }) => accounts.get(params.id),
      setStatus: async ({ params, body }) => accounts.setStatus(params.id, body.status),
      jwks: async () => reply(tokens.jwks(), { headers: { 'Cache-Control': 'public, max-age=300' } }),
    },
    options,
  );
}
