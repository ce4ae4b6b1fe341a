import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OrderProgress } from '../contracts/order-progress.js';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { connectAmqp, type AmqpConnection } from '../lib/amqp.js';
import { declareFanInQueue } from '../lib/amqp-topology.js';
import { rawChannel, silentLogger, testAmqpNames } from '../test/support/amqp.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from '../workflows/test-support/harness.js';
import { mockActivities, orderInput } from '../workflows/test-support/mock-activities.js';
import { createProgressPublisher, type ProgressPublisher } from './progress.js';

const runId = inject('runId');
const { exchange } = testAmqpNames(runId, 'progress');
const taskQueue = `progress-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const until = async (what: string, check: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('saga progress pushed by the worker (real Temporal, real RabbitMQ)', () => {
  let harness: Harness;
  let amqp: AmqpConnection;
  let publisher: ProgressPublisher;
  let worker: RunningWorker;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  let queue: string;
  const heard: OrderProgress[] = [];

  beforeAll(async () => {
    raw = await rawChannel();
    queue = await declareFanInQueue(raw.channel, exchange, ['#']);
    await raw.channel.consume(queue, (m) => m && heard.push(OrderProgress.parse(JSON.parse(m.content.toString()))), {
      noAck: true,
    });
    amqp = await connectAmqp({
      url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      name: 'progress-test',
      logger: silentLogger,
    });
    publisher = createProgressPublisher(amqp, { exchange, logger: silentLogger });
    await until('the progress channel', () => publisher.connected());
    harness = await connectHarness(inject('temporalAddress'));
    worker = await startWorker(harness, taskQueue, mockActivities(() => ({})).activities, {
      progressSinks: publisher.sinks,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await harness?.close();
    await publisher?.close();
    await amqp?.close();
    await raw?.cleanup({ exchange, queues: [queue] });
    await raw?.close();
  });

  it('a listener hears the saga step by step, in order, ending with its final state; one message per workflow task', async () => {
    const orderId = `order-${runId}-progress`;
    const handle = await harness.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue,
      args: [orderInput(orderId, { cancelWindowMs: 0 })],
    });
    const result = (await handle.result()) as OrderSagaState;
    expect(result.status).toBe('CONFIRMED');
    const mine = () => heard.filter((p) => p.state.orderId === orderId);
    await until('the final state', () => mine().some((p) => p.state.status === 'CONFIRMED'));
    const messages = mine();
    expect(messages.at(-1)!.state).toEqual(result);
    const seqs = messages.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const sizes = messages.map((p) => p.state.steps.filter((s) => s.status !== 'started').length);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    // Every step is marked started and then completed; coalesced per workflow task, far fewer messages go out.
    const stepMarks = result.steps.length * 2;
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.length).toBeLessThan(stepMarks);
  });
});
