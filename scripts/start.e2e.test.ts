import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { COMPONENTS, componentPids } from '../test/chaos/components.js';
import { createGatewayClient, uniqueEmail } from '../test/support/api.js';
import { ensureCompiled } from './build-dist.js';
import { freePort, httpOk, waitFor } from './processes.js';
import { testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { killLaunched, launch, portsInUse, processesLeft } from '../test/support/launcher.js';
import { deleteEventTopology } from './broker.js';

// `npm start` itself: real tools, ready line, data kept across restarts, wiped by --fresh, and
// Ctrl-C leaves nothing behind.

// `npm start` runs dist/; compiling here keeps that one-off cost out of the launch's time budget.
beforeAll(() => ensureCompiled(), 180_000);
afterAll(killLaunched);

describe('npm start', () => {
  it('starts everything, keeps data across restarts, wipes it with --fresh, and stops cleanly', async () => {
    const dataDir = await mkdtemp(join(inject('logDir'), 'start-'));
    const names = [
      'API_PORT',
      'USERS_PORT',
      'PRODUCTS_PORT',
      'ORDERS_PORT',
      'WORKER_PORT',
      'NOTIFICATIONS_PORT',
      'TEMPORAL_PORT',
      'TEMPORAL_UI_PORT',
      'MONGO_PORT',
    ];
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, String(await freePort())] as const)));
    const amqp = testAmqpNames(inject('runId'), 'start');
    onTestFinished(() =>
      deleteEventTopology({ amqpUrl: testAmqpUrl, exchange: amqp.exchange, notificationsQueue: amqp.queue }),
    );
    const env = {
      ...ports,
      ORDER_EVENTS_EXCHANGE: amqp.exchange,
      NOTIFICATIONS_QUEUE: amqp.queue,
      DATA_DIR: dataDir,
      SHOP_DB_PREFIX: `${inject('runId')}_start`,
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'boss-password',
    };
    const api = createGatewayClient(`http://127.0.0.1:${ports.API_PORT}`);
    const email = uniqueEmail('persist');

    const first = await launch(env);
    expect(first.lines.some((l) => l.includes(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    expect(
      (await api.request<{ items: unknown[] }>('GET', '/api/products?limit=100')).body.items.length,
    ).toBeGreaterThanOrEqual(12);
    await api.registerAndLogin(email, 'persist-password');
    const started = Date.now();
    process.kill(-first.child.pid!, 'SIGINT');
    expect([0, 'SIGINT']).toContain(await first.exited);
    expect(await first.stopped).toBe('[start] stopped');
    expect(Date.now() - started).toBeLessThan(15_000); // the limit for a full stop, not a speed check
    expect(await processesLeft(dataDir)).toEqual([]);
    expect(await portsInUse(Object.values(ports).map(Number))).toEqual([]);

    const second = await launch(env);
    await expect(api.login(email, 'persist-password')).resolves.toEqual(expect.any(String));
    process.kill(-second.child.pid!, 'SIGTERM');
    expect([0, 'SIGTERM']).toContain(await second.exited);
    expect(await second.stopped).toBe('[start] stopped');
    expect(await processesLeft(dataDir)).toEqual([]);

    const fresh = await launch(env, ['--fresh']);
    await expect(api.login(email, 'persist-password')).rejects.toThrow(/401/);
    // A child that dies is restarted with a loud line; the gateway is ready again within 15 s, the rest untouched.
    const before = await componentPids(dataDir);
    expect(Object.keys(before)).toHaveLength(COMPONENTS.length);
    process.kill(before.users!, 'SIGKILL');
    await waitFor(
      'users restarted and the gateway ready',
      async () => {
        const now = await componentPids(dataDir);
        return (
          now.users !== undefined &&
          now.users !== before.users &&
          (await httpOk(`http://127.0.0.1:${ports.API_PORT}/readyz`))
        );
      },
      15_000,
      100,
    );
    expect(fresh.lines.some((l) => l.includes('users exited unexpectedly (SIGKILL); restart 1'))).toBe(true);
    const after = await componentPids(dataDir);
    expect({ ...after, users: before.users }).toEqual(before);
    await expect(api.login(email, 'persist-password')).rejects.toThrow(/401/); // served again, by the new process

    // A crash loop (six deaths within 60 s) stops the whole stack with exit 1.
    const killed = new Set([before.users]);
    const crashLoop = (async () => {
      while (fresh.child.exitCode === null && killed.size < 20) {
        const users = (await componentPids(dataDir)).users;
        if (users !== undefined && !killed.has(users)) {
          killed.add(users);
          process.kill(users, 'SIGKILL');
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(await fresh.exited).toBe(1);
    await crashLoop;
    expect(fresh.lines.some((l) => /users died \(SIGKILL\) after 5 restarts within 60\.0 s: crash loop/.test(l))).toBe(
      true,
    );
    expect(await fresh.stopped).toBe('[start] stopped after a failure');
    expect(await processesLeft(dataDir)).toEqual([]);
    expect(await portsInUse(Object.values(ports).map(Number))).toEqual([]);
  }, 300_000);
});
