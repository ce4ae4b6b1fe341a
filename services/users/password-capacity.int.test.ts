import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, post, type Harness } from './test-support/harness.js';

// One verify at a time and one waiting: a third concurrent password check finds the queue full.
const CAPACITY = { concurrent: 1, queued: 1, maxWaitMs: 60_000 };
const PASSWORD = 'capacity-secret-passphrase';

let h: Harness;
let waits: Harness;
beforeAll(async () => {
  // One verify at a time and room for all to wait, but only 1 ms each: one argon2 verify outlasts it.
  waits = await createHarness('users_capacity_wait', { concurrent: 1, queued: 16, maxWaitMs: 1 });
  h = await createHarness('users_capacity', CAPACITY);
  expect((await post(h.app, '/v1/users', { email: 'cap@example.com', password: PASSWORD, name: 'Cap' })).status).toBe(
    201,
  );
});
afterAll(async () => Promise.all([h?.close(), waits?.close()]));

interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
}

describe('bounded password work', () => {
  it('refuses a login with 503 OVERLOADED and Retry-After while the queue is full, without hashing', async () => {
    const before = h.argon2Calls();
    const settled: Answer[] = [];
    const attempts = [
      { email: 'cap@example.com', password: PASSWORD },
      ...Array.from({ length: 15 }, (_, i) => ({ email: `flood-${i}@example.com`, password: 'guess-passphrase' })),
    ];
    await Promise.all(
      attempts.map(async (body) => {
        const response = await post(h.app, '/v1/sessions', body);
        settled.push({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
          body: (await response.json()) as Record<string, unknown>,
        });
      }),
    );

    const refused = settled.filter((answer) => answer.status === 503);
    const served = settled.filter((answer) => answer.status !== 503);
    expect(refused.length).toBeGreaterThanOrEqual(attempts.length / 4);
    for (const answer of refused) {
      expect(answer).toMatchObject({
        retryAfter: '1',
        contentType: 'application/problem+json',
        body: { status: 503, code: 'OVERLOADED' },
      });
    }
    expect(served.length).toBeGreaterThanOrEqual(CAPACITY.concurrent + CAPACITY.queued);
    // A refusal costs no argon2 work, and it is answered while the accepted checks still wait or run.
    expect(h.argon2Calls() - before).toBe(served.length);
    const lastServed = settled.findLastIndex((answer) => answer.status !== 503);
    expect(settled.findLastIndex((answer) => answer.status === 503)).toBeLessThan(lastServed);
  });

  it('serves logins again once the queue has drained', async () => {
    const response = await post(h.app, '/v1/sessions', { email: 'cap@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
  });

  it('refuses, without hashing, a check that waited longer than maxWaitMs for its slot', async () => {
    const before = waits.argon2Calls();
    const logins = Array.from({ length: 12 }, (_, i) =>
      post(waits.app, '/v1/sessions', { email: `late-${i}@example.com`, password: 'guess-passphrase' }),
    );
    const statuses = await Promise.all(logins.map(async (login) => (await login).status));
    const refused = statuses.filter((status) => status === 503).length;
    // A verify takes milliseconds: only the one that found the slot free (or one freed within 1 ms) runs.
    expect(refused).toBeGreaterThanOrEqual(6);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(1);
    expect(waits.argon2Calls() - before).toBe(statuses.length - refused);
  });
});
