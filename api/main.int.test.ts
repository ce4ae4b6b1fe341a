import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, httpOk, spawnManaged, waitFor, type ManagedProcess } from '../scripts/processes.js';
import { SERVICE_TOKEN, startFakeServices, type FakeServices } from './test-support/fake-services.js';

let services: FakeServices;
let gateway: ManagedProcess;
let base: string;
let output = '';

beforeAll(async () => {
  services = await startFakeServices();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    API_PORT: String(port),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    USERS_URL: services.urls.users,
    PRODUCTS_URL: services.urls.products,
    ORDERS_URL: 'http://127.0.0.1:9',
    NOTIFICATIONS_URL: services.urls.users, // any service that answers /readyz
    SERVICE_TOKEN,
    LOG_LEVEL: 'info',
  };
  const sink = new Writable({ write: (chunk, _enc, done) => ((output += String(chunk)), done()) });
  gateway = spawnManaged('api', process.execPath, ['--import', 'tsx', 'api/main.ts'], { env, output: sink });
  await waitFor('api /healthz', () => httpOk(`${base}/healthz`), 60_000, 200);
});

afterAll(async () => {
  await gateway?.stop();
  await services?.close();
});

describe('api/main.ts', () => {
  it('serves the contract over HTTP, reports the dead orders service in /readyz, and logs with request ids', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      checks: { temporal: 'up', users: 'up', products: 'up', orders: 'down' },
      down: ['orders'],
    });
    const registered = await fetch(`${base}/api/users/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'main-test-1' },
      body: JSON.stringify({ email: 'main@example.com', password: 'password1', name: 'Main' }),
    });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('x-request-id')).toBe('main-test-1');
    expect(services.seen.find((s) => s.requestId === 'main-test-1')).toBeDefined();
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
    await waitFor('access log', async () => output.includes('"requestId":"main-test-1"'), 5_000, 50);
  });

  it('refuses to start without a SERVICE_TOKEN, naming the problem', async () => {
    let text = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
    const env = { ...process.env, SERVICE_TOKEN: '', API_PORT: String(await freePort()) };
    const bad = spawnManaged('api-bad', join(process.cwd(), 'node_modules/.bin/tsx'), ['api/main.ts'], {
      env,
      output: sink,
    });
    expect(await bad.exited).toBe(1);
    expect(text).toContain('SERVICE_TOKEN');
  });

  it('stops cleanly on SIGTERM', async () => {
    await gateway.stop();
    expect(await gateway.exited).toBe(0);
  });
});
