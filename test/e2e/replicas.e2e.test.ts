import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../../lib/payload-keys.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { testKeyPrefix, testRedisUrl } from '../../api/test-support/redis.js';
import { createGatewayClient, uniqueEmail, uniqueSku, type GatewayClient } from '../support/api.js';
import { useTestStack } from '../support/stack.js';

// Two of everything that is meant to scale out: two gateways sharing limits through Redis, two
// workers on one task queue, three services; then one gateway and one worker die mid-run.
const e2e = useTestStack('replicas', {
  REDIS_URL: testRedisUrl,
  REDIS_KEY_PREFIX: testKeyPrefix('replicas'),
  RATE_LIMIT_LOGIN_FAILURES: '10',
});

let gateways: GatewayClient[];
let killGatewayOne: () => void;
let killWorkerOne: () => void;
let temporal: Client;

beforeAll(async () => {
  const [api2] = await Promise.all([e2e.stack.addReplica('api'), e2e.stack.addReplica('worker')]);
  gateways = [e2e.api, createGatewayClient(api2.url)];
  const sigkill = (name: 'api' | 'worker') => () => process.kill(-e2e.stack.processes.get(name)!.child.pid!, 'SIGKILL');
  killGatewayOne = sigkill('api');
  killWorkerOne = sigkill('worker');
  temporal = new Client({
    connection: await Connection.connect({ address: inject('temporalAddress') }),
    dataConverter: payloadDataConverter(),
  });
});
afterAll(async () => {
  await temporal?.connection.close();
});

/** What a careful client does: same Idempotency-Key, next gateway when one does not answer. */
async function placeWithRetry(token: string, productId: string, key: string, first: number) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const api = gateways[(first + attempt) % 2]!;
    const placed = await api.placeOrder(token, [{ productId, quantity: 1 }], 'tok_visa', key).catch(() => undefined);
    if (placed && placed.status < 500) return placed;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`order ${key} never accepted`);
}

/** Workers that ran a workflow's tasks, by their identity in its history. */
async function workersOf(workflowId: string): Promise<Set<string>> {
  const { events } = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return new Set(
    (events ?? []).flatMap((event) => event.workflowTaskCompletedEventAttributes?.identity ?? []).filter(Boolean),
  );
}

async function placeBatch(count: number, productId: string, token: string, label: string) {
  const placed = await Promise.all(
    Array.from({ length: count }, async (_, i) => placeWithRetry(token, productId, `${label}-${i}`, i)),
  );
  for (const answer of placed) expect([200, 202]).toContain(answer.status);
  return placed.map((answer) => answer.body);
}

const waitAllFinal = (token: string, orders: Order[]) =>
  Promise.all(orders.map((order) => gateways[1]!.waitForFinal(token, order.id, 90_000)));

describe('two gateways and two workers', () => {
  it('30 parallel wrong logins over both gateways: at most 10 answered, the rest 429 (one budget in Redis)', async () => {
    const email = uniqueEmail('guessed');
    await e2e.api.registerAndLogin(email, 'the-right-password');
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) =>
        gateways[i % 2]!.request('POST', '/api/users/login', { body: { email, password: `guess-${i}` } }),
      ),
    );
    expect(answers.filter((answer) => answer.status !== 429).length).toBeLessThanOrEqual(10);
    const locked = await gateways[1]!.request('POST', '/api/users/login', {
      body: { email, password: 'the-right-password' },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('spreads orders over both workers, and loses none when a gateway and a worker are killed mid-run', async () => {
    const stock = 100;
    const product = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('REP'),
      name: 'Replicated widget',
      priceCents: 500,
      stock,
    });
    const customer = await e2e.api.registerAndLogin(uniqueEmail('replicas'));

    const calm = await placeBatch(16, product.id, customer.token, 'calm');
    await waitAllFinal(customer.token, calm);
    const identities = new Set<string>();
    for (const order of calm) for (const identity of await workersOf(order.workflowId)) identities.add(identity);
    expect(identities.size).toBe(2);

    // Half accepted and running, then one gateway and one worker die; the other half finds one of each.
    const inFlight = await placeBatch(8, product.id, customer.token, 'in-flight');
    killGatewayOne();
    killWorkerOne();
    const after = await placeBatch(8, product.id, customer.token, 'after-kill');
    const stormy = [...inFlight, ...after];
    const finals = await waitAllFinal(customer.token, [...calm, ...stormy]);
    const movedOver = (await Promise.all(inFlight.map(async (o) => (await workersOf(o.workflowId)).size))).filter(
      (n) => n > 1,
    ).length;
    console.log(
      `[replicas] calm orders on ${identities.size} workers; ${movedOver}/${inFlight.length} in-flight orders finished on the surviving worker`,
    );
    expect(finals.filter((order) => order.status === 'PENDING')).toEqual([]);
    expect(new Set(finals.map((order) => order.id)).size).toBe(32);
    const confirmed = finals.filter((order) => order.status === 'CONFIRMED').length;
    expect(confirmed).toBe(32);
    expect((await gateways[1]!.getProduct(product.id)).stock).toBe(stock - confirmed);
  });
});
