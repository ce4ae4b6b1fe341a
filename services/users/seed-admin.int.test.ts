import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { TokenResponse } from '../../contracts/users.js';
import { createLogger } from '../../lib/logger.js';
import { seedAdmin } from './seed-admin.js';
import { createHarness, memoryLogStream, post, type Harness } from './test-support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('users_seed');
});
afterAll(async () => h?.close());

const ADMIN = { email: 'Root@Example.com', password: 'admin-passphrase-1' };

describe('seedAdmin', () => {
  it('creates the admin exactly once even when several processes start at once', async () => {
    const logs = memoryLogStream();
    const deps = { store: h.store, passwords: h.passwords, logger: createLogger('users', 'info', logs.stream) };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => seedAdmin(deps, ADMIN)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'exists')).toHaveLength(4);
    expect(await seedAdmin(deps, ADMIN)).toBe('exists');
    const rows = await h.sql`select email, role, status from users where lower(email) = 'root@example.com'`;
    expect(rows).toEqual([{ email: 'root@example.com', role: 'admin', status: 'active' }]);
    expect(logs.text()).not.toContain(ADMIN.password);
    expect(logs.text()).not.toContain('$argon2');
  });

  it('leaves an existing account with that email untouched', async () => {
    await post(h.app, '/v1/users', { email: 'taken@example.com', password: 'customer-pass', name: 'C' });
    const deps = { store: h.store, passwords: h.passwords, logger: createLogger('users', 'silent') };
    expect(await seedAdmin(deps, { email: 'TAKEN@example.com', password: 'admin-passphrase-2' })).toBe('exists');
    const [row] = await h.sql`select role from users where email = 'taken@example.com'`;
    expect(row?.role).toBe('customer');
  });

  it('lets the admin log in with an admin-role token', async () => {
    const response = await post(h.app, '/v1/sessions', { email: 'root@example.com', password: ADMIN.password });
    expect(response.status).toBe(200);
    expect(decodeJwt(((await response.json()) as TokenResponse).accessToken)).toMatchObject({ role: 'admin' });
  });
});
