import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SERVICE_TOKEN as TOKEN } from '../test/support/constants.js';
import { startTemporal } from '../scripts/infra.js';
import { freePort, httpOk, spawnManaged, waitFor, type ManagedProcess } from '../scripts/processes.js';
import { ensureTemporal } from '../scripts/tools.js';

// Issue 12: a worker started before Temporal must wait for it (not exit), report not-ready, then poll.
let worker: ManagedProcess | undefined;
let temporal: ManagedProcess | undefined;
let output = '';

afterAll(async () => {
  await worker?.stop();
  await temporal?.stop();
});

describe('the worker started before Temporal', () => {
  it('stays up and not ready while nothing listens, then becomes ready once Temporal answers', async () => {
    const [temporalPort, uiPort, port] = [await freePort(), await freePort(), await freePort()];
    const health = `http://127.0.0.1:${port}`;
    const sink = new Writable({ write: (chunk, _enc, done) => ((output += String(chunk)), done()) });
    worker = spawnManaged('worker', join(process.cwd(), 'node_modules/.bin/tsx'), ['workers/main.ts'], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        TEMPORAL_TASK_QUEUE: `waits-for-temporal-${port}`,
        SERVICE_TOKEN: TOKEN,
        WORKER_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      output: sink,
    });
    await waitFor('worker /healthz', () => httpOk(`${health}/healthz`), 60_000, 200);
    await waitFor('a second retry logged', async () => output.split('unreachable; retrying').length > 2, 30_000, 100);
    const waiting = await fetch(`${health}/readyz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toMatchObject({ down: ['temporal', 'worker'] });
    expect(worker.child.exitCode).toBeNull();

    temporal = await startTemporal({ bin: await ensureTemporal(), port: temporalPort, uiPort, headless: true });
    await waitFor('worker /readyz', () => httpOk(`${health}/readyz`), 90_000, 250);
    // Ready is reported as the worker starts polling; its own log line may follow a moment later.
    await waitFor('the worker’s “worker running” line', async () => output.includes('worker running'), 10_000, 100);
    expect(worker.child.exitCode).toBeNull();
  }, 180_000);
});
