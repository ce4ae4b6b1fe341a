import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { COMPONENTS, componentPids, processesUsing } from '../test/chaos/components.js';
import { createApiClient, uniqueEmail } from '../test/support/api.js';
import { ensureCompiled } from './build-dist.js';
import { freePort, httpOk, waitFor } from './processes.js';
import { testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { deleteEventTopology } from './broker.js';

// `npm start` itself: real tools, ready line, data kept across restarts, wiped by --fresh, and
// Ctrl-C leaves nothing behind.
const launched: ChildProcess[] = [];
// `npm start` runs dist/; compiling here keeps that one-off cost out of the launch's time budget.
beforeAll(() => ensureCompiled(), 180_000);
afterAll(() => {
  for (const child of launched) {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function launch(env: Record<string, string>, args: string[] = []) {
  // Exactly what a user runs; signals go to the whole group, as Ctrl-C in a terminal does (npm, tsx and node all get one).
  const child = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], {
    env: { ...process.env, ...env, LOG_FORMAT: 'json', TEMPORAL_ADDRESS: '', MONGO_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  launched.push(child);
  const lines: string[] = [];
  // npm re-raises the signal it was stopped by, so a clean stop is exit code 0 or that signal.
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line === '[start] ready') resolve();
    });
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
    void exited.then((code) =>
      reject(new Error(`launcher exited (${code}) before ready:\n${lines.slice(-30).join('\n')}`)),
    );
  });
  await ready;
  // The launcher's last word; npm may exit before it on SIGTERM, so wait for the line itself.
  const stopped = new Promise<string>((resolve) => {
    const check = setInterval(() => {
      const line = lines.find((l) => l.startsWith('[start] stopped'));
      if (line) {
        clearInterval(check);
        resolve(line);
      }
    }, 100);
  });
  return { child, lines, exited, stopped };
}

/** Processes of this launcher still alive once it said it stopped (its own exit may take a moment). */
async function processesLeft(dataDir: string, withinMs = 5_000): Promise<{ pid: number; cmdline: string }[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = await processesUsing(dataDir);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function portsInUse(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) {
    const open = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (open) busy.push(port);
  }
  return busy;
}

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
    const api = createApiClient(`http://127.0.0.1:${ports.API_PORT}`);
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
