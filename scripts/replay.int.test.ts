import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from '../workflows/test-support/harness.js';
import { mockActivities, orderInput } from '../workflows/test-support/mock-activities.js';
import { buildWorkflowBundle } from './bundle-workflows.js';
import { waitFor } from './processes.js';

const runId = inject('runId');
const taskQueue = `replay-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const where = `TaskQueue = '${taskQueue}'`;
const nondeterministic = fileURLToPath(
  new URL('../workflows/test-support/nondeterministic-workflows.ts', import.meta.url),
);
let harness: Harness;
let worker: RunningWorker;
let tmp: string;
const orders = ['a', 'b', 'c'].map((n) => `replay-${n}-${runId}`);
const openOrder = `replay-open-${runId}`;
// The gateway memos every order, encrypted like every payload: listing the executions decodes it.
const memo = { nonce: 'replay-test' };

function runReplay(...args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') };
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  return new Promise((resolve) => {
    execFile(tsx, ['scripts/replay.ts', ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

beforeAll(async () => {
  harness = await connectHarness(inject('temporalAddress'));
  worker = await startWorker(harness, taskQueue, mockActivities(() => ({})).activities);
  tmp = await mkdtemp(join(tmpdir(), 'replay-'));
  for (const orderId of orders) {
    const result = await harness.client.workflow.execute(WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue,
      args: [orderInput(orderId)],
      memo,
    });
    expect((result as OrderSagaState).status).toBe('CONFIRMED');
  }
  // Open, in its cancellation window: its history already holds the commands of its first workflow task.
  const open = await harness.client.workflow.start(WORKFLOW_TYPE, {
    workflowId: openOrder,
    taskQueue,
    args: [orderInput(openOrder, { cancelWindowMs: 600_000 })],
    memo,
  });
  const inWindow = async () =>
    ((await open.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes !== undefined);
  await waitFor('the open order to wait in its cancellation window', inWindow, 20_000, 50);
  const visible = async () => (await harness.client.workflow.count(where)).count === orders.length + 1;
  await waitFor('visibility of every order', visible, 20_000, 200);
}, 120_000);

afterAll(async () => {
  await harness?.client.workflow
    .getHandle(openOrder)
    .terminate('test over')
    .catch(() => undefined);
  await worker?.stop();
  await harness?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('npm run replay', () => {
  it('replays the open and closed orders through the shipped bundle and exits 0', async () => {
    const { code, out } = await runReplay('--since', '1h', '--where', where);
    expect(out).toContain(`replayed ${orders.length + 1} placeOrder histories: ${orders.length + 1} ok, 0 failed`);
    expect(code).toBe(0);
  }, 120_000);

  it('exits 1 naming each order a non-deterministic bundle diverges on', async () => {
    const bundle = join(tmp, 'nondeterministic-bundle.js');
    await buildWorkflowBundle(bundle, true, nondeterministic);
    const { code, out } = await runReplay('--since', '1h', '--where', where, '--bundle', bundle);
    expect(code).toBe(1);
    for (const orderId of [...orders, openOrder])
      expect(out).toMatch(new RegExp(`FAIL ${orderId} .*DeterminismViolationError`));
    expect(out).toContain(`${orders.length + 1} failed`);
  }, 120_000);

  it('honours --limit and refuses a malformed window', async () => {
    const limited = await runReplay('--since', '1h', '--where', where, '--limit', '2');
    expect(limited.out).toContain('replayed 2 placeOrder histories: 2 ok, 0 failed');
    const bad = await runReplay('--since', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('since: a number of minutes, hours or days');
  }, 120_000);
});
