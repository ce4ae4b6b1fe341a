import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { componentPids } from '../test/chaos/components.js';
import { createGatewayClient, uniqueEmail } from '../test/support/api.js';
import { testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { killLaunched, launch, processesLeft } from '../test/support/launcher.js';
import { databaseUrl } from '../test/support/postgres.js';
import { deleteEventTopology } from './broker.js';
import { ensureCompiled } from './build-dist.js';
import { freePort, httpOk, waitFor } from './processes.js';
import { engineDatabases } from './temporal-server.js';

// `npm start -- --engine server`: the production Temporal server on the machine's PostgreSQL, under the launcher.

beforeAll(() => ensureCompiled(), 180_000);
afterAll(killLaunched);

const PORT_VARS = ['API', 'USERS', 'PRODUCTS', 'ORDERS', 'WORKER', 'NOTIFICATIONS', 'TEMPORAL', 'TEMPORAL_UI', 'MONGO'];

describe('npm start -- --engine server', () => {
  it('runs orders on the Temporal server on PostgreSQL, its Web UI, and survives the server being killed', async () => {
    const dataDir = await mkdtemp(join(inject('logDir'), 'engine-'));
    const ports = Object.fromEntries(
      await Promise.all(PORT_VARS.map(async (name) => [`${name}_PORT`, String(await freePort())] as const)),
    );
    const prefix = `${inject('runId')}_engine`;
    const amqp = testAmqpNames(inject('runId'), 'engine');
    onTestFinished(() =>
      deleteEventTopology({ amqpUrl: testAmqpUrl, exchange: amqp.exchange, notificationsQueue: amqp.queue }),
    );
    const env = {
      ...ports,
      DATA_DIR: dataDir,
      SHOP_DB_PREFIX: prefix,
      ORDER_EVENTS_EXCHANGE: amqp.exchange,
      NOTIFICATIONS_QUEUE: amqp.queue,
      TEMPORAL_WORKER_VERSIONING: 'true',
    };
    const launched = await launch(env, ['--engine', 'server']);
    expect(launched.lines.some((l) => l.includes('(engine: server)'))).toBe(true);
    expect(await httpOk(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/namespaces/default/workflows`)).toBe(true);

    const api = createGatewayClient(`http://127.0.0.1:${ports.API_PORT}`);
    const { token } = await api.registerAndLogin(uniqueEmail('engine'), 'engine-password');
    const products = await api.request<{ items: { id: string }[] }>('GET', '/api/products?limit=1');
    const items = [{ productId: products.body.items[0]!.id, quantity: 1 }];
    const orderOnce = async () => {
      const placed = await api.placeOrder(token, items);
      expect(placed.status).toBe(202);
      return (await api.waitForFinal(token, placed.body.id, 90_000)).status;
    };
    expect(await orderOnce()).toBe('CONFIRMED');

    // The history is in the engine's own PostgreSQL database, not in a file of the launcher's.
    const history = postgres(databaseUrl(inject('postgresUrl'), engineDatabases(prefix).history), { max: 1 });
    onTestFinished(() => history.end({ timeout: 5 }));
    const rows = await history<{ count: string }[]>`select count(*) from executions`;
    expect(Number(rows[0]!.count)).toBeGreaterThanOrEqual(1);

    // Killed, the server is restarted by the launcher on the same databases, and the next order runs.
    const killed = (await componentPids(dataDir)).temporal!;
    expect(killed).toBeGreaterThan(0);
    process.kill(killed, 'SIGKILL');
    await waitFor(
      'the Temporal server restarted',
      async () => {
        const now = (await componentPids(dataDir)).temporal;
        return now !== undefined && now !== killed && launched.lines.some((l) => l.includes('temporal is back'));
      },
      120_000,
      200,
    );
    expect(await orderOnce()).toBe('CONFIRMED');

    process.kill(-launched.child.pid!, 'SIGINT');
    expect(await launched.stopped).toBe('[start] stopped');
    expect(await processesLeft(dataDir)).toEqual([]);
  }, 420_000);
});
