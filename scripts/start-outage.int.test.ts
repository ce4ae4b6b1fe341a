import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { componentPids } from '../test/chaos/components.js';
import { createTestVhost, type TestVhost } from '../test/support/amqp.js';
import { killLaunched, launch, processesLeft } from '../test/support/launcher.js';
import { startPrivatePostgres, type PrivatePostgres } from '../test/support/private-postgres.js';
import { ensureCompiled } from './build-dist.js';
import { freePort, httpOk, waitFor } from './processes.js';

// `npm start` on a PostgreSQL and a RabbitMQ vhost of this test's own, both down when it starts, then
// PostgreSQL held down 25 s under the running stack: the launcher waits, never gives up, restarts nothing.
let pg: PrivatePostgres | undefined;
let vhost: TestVhost | undefined;
beforeAll(() => ensureCompiled(), 180_000);
afterAll(async () => {
  killLaunched();
  await pg?.destroy();
  await vhost?.remove();
});

const PORTS = ['API_PORT', 'USERS_PORT', 'PRODUCTS_PORT', 'ORDERS_PORT', 'WORKER_PORT', 'NOTIFICATIONS_PORT'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm start while shared dependencies are down', () => {
  it('waits for PostgreSQL and RabbitMQ at start, and rides out a 25 s PostgreSQL outage without restarting anything', async () => {
    [pg, vhost] = await Promise.all([startPrivatePostgres(), createTestVhost('start_outage')]);
    await Promise.all([pg.stop(), vhost.down()]);
    const dataDir = await mkdtemp(join(inject('logDir'), 'start-outage-'));
    const names = [...PORTS, 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'MONGO_PORT'];
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, String(await freePort())] as const)));
    let said = '';
    // Fails with the launcher's own last lines if it gives up first.
    const saying = (text: string) =>
      Promise.race([
        waitFor(`the launcher saying "${text}"`, async () => said.includes(text), 120_000, 100),
        launching.then(() => undefined),
      ]);
    const launching = launch(
      {
        ...ports,
        DATA_DIR: dataDir,
        DATABASE_URL: pg.url,
        AMQP_URL: vhost.url,
        SHOP_DB_PREFIX: 'shop',
        ADMIN_PASSWORD: 'admin-password-123',
      },
      [],
      (line) => (said += `${line}\n`),
    );
    launching.catch(() => undefined);
    await saying('[start] waiting for PostgreSQL');
    await sleep(5_000);
    await pg.start();
    await saying('[start] waiting for RabbitMQ');
    await sleep(5_000);
    await vhost.up();
    const run = await launching;
    expect(run.lines.some((line) => line.startsWith('[start] RabbitMQ is up (waited'))).toBe(true);

    const before = await componentPids(dataDir);
    await pg.stop();
    await sleep(25_000);
    expect(run.child.exitCode).toBeNull();
    await pg.start();
    const gateway = `http://127.0.0.1:${ports.API_PORT}/readyz`;
    await waitFor('the gateway ready again', () => httpOk(gateway), 60_000, 250);
    expect(await componentPids(dataDir)).toEqual(before);
    expect(run.lines.filter((line) => /exited unexpectedly|crash loop|stopped after a failure/.test(line))).toEqual([]);

    process.kill(-run.child.pid!, 'SIGINT');
    expect([0, 'SIGINT']).toContain(await run.exited);
    expect(await processesLeft(dataDir)).toEqual([]);
  }, 300_000);
});
