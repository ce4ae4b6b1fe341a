import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { pathOf } from '../contracts/api.js';
import { ordersApi } from '../contracts/orders-api.js';
import { usersApi } from '../contracts/users-api.js';
import { freePort } from '../scripts/processes.js';
import { createOrdersApp } from '../services/orders/app.js';
import { createSimulatedProvider } from '../services/orders/payment-provider.js';
import { createUsersApp } from '../services/users/app.js';
import { createPasswordHasher } from '../services/users/passwords.js';
import { createUserStore } from '../services/users/store.js';
import { createTokenIssuer } from '../services/users/tokens.js';
import { loadSigningKeys } from '../services/users/keys.js';
import { TEST_SERVICE_TOKEN } from './support/constants.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';

const pools: postgres.Sql[] = [];
afterAll(async () => Promise.all(pools.map((sql) => sql.end({ timeout: 1 }))));

/** A pool towards a port nobody listens on: every query fails to connect. */
async function unreachablePostgres() {
  const sql = postgres(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, {
    max: 1,
    connect_timeout: 2,
    onnotice: () => {},
  });
  pools.push(sql);
  return drizzle(sql);
}

const frame = (name: string) => ({
  logger: createLogger(name, 'silent'),
  metrics: createMetrics(name, false),
  serviceToken: TEST_SERVICE_TOKEN,
});
const headers = { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'content-type': 'application/json' };

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(await response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
}

describe('an unreachable PostgreSQL', () => {
  it('makes the orders service answer 503 SERVICE_UNAVAILABLE, not 500, and report not ready', async () => {
    const app = createOrdersApp({
      ...frame('orders'),
      db: await unreachablePostgres(),
      provider: createSimulatedProvider(),
    });
    await expectUnavailable(await app.request(pathOf(ordersApi.get, { id: 'ord_1' }), { headers }));
    expect((await app.request('/readyz')).status).toBe(503);
  });

  it('makes the users service answer 503 SERVICE_UNAVAILABLE, also where it rewraps driver errors', async () => {
    const app = createUsersApp({
      ...frame('users'),
      store: createUserStore(await unreachablePostgres()),
      passwords: await createPasswordHasher(),
      tokens: createTokenIssuer({
        keys: await loadSigningKeys({ dataDir: await mkdtemp(join(tmpdir(), 'outage-keys-')) }),
        issuer: 'i',
        audience: 'a',
        ttlSeconds: 60,
      }),
    });
    await expectUnavailable(
      await app.request(pathOf(usersApi.get, { id: '00000000-0000-4000-8000-000000000000' }), { headers }),
    );
    const body = JSON.stringify({ email: 'down@example.com', password: 'password-123', name: 'Down' });
    await expectUnavailable(await app.request(usersApi.register.path, { method: 'POST', headers, body }));
  });
});
