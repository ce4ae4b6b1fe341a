import { describe, expect, it } from 'vitest';
import type { Publisher } from './amqp-publisher.js';
import { createLogger } from './logger.js';
import { createOutboxRelay, type OutboxStore } from './outbox-relay.js';

const logger = createLogger('outbox-relay-test', 'silent');
const publisher: Publisher = { publish: async () => {}, connected: () => true, close: async () => {} };
const DAY = 24 * 3_600_000;

/** An empty outbox whose prune answers from `answers` (then 0) and records each cutoff it was given. */
function emptyOutbox(answers: (number | Error)[] = []) {
  const cutoffs: Date[] = [];
  let batches = 0;
  const store: OutboxStore = {
    relayBatch: async () => (batches++, 0),
    pruneSent: async (sentBefore, limit) => {
      cutoffs.push(sentBefore);
      expect(limit).toBe(1000);
      const answer = answers.shift() ?? 0;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { store, cutoffs, batches: () => batches };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(done()).toBe(true);
};

describe('outbox relay: pruning published events', () => {
  it('deletes what is past the retention, in batches until a short one, once per interval', async () => {
    const outbox = emptyOutbox([1000, 1000, 17]);
    const relay = createOutboxRelay({ store: outbox.store, publisher, exchange: 'x', logger, appId: 't', idleMs: 5 });
    const started = Date.now();
    relay.start();
    await until(() => outbox.cutoffs.length === 3 && outbox.batches() >= 5);
    await relay.stop();
    expect(outbox.cutoffs).toHaveLength(3); // the default interval (a minute) has not come round again
    for (const cutoff of outbox.cutoffs) {
      expect(cutoff.getTime()).toBeGreaterThanOrEqual(started - 7 * DAY);
      expect(cutoff.getTime()).toBeLessThanOrEqual(Date.now() - 7 * DAY);
    }
  });

  it('honours its retention and interval, and keeps relaying when a prune fails', async () => {
    const outbox = emptyOutbox([new Error('database restarting'), 3]);
    const relay = createOutboxRelay({
      store: outbox.store,
      publisher,
      exchange: 'x',
      logger,
      appId: 't',
      idleMs: 5,
      retentionMs: DAY,
      pruneEveryMs: 20,
    });
    relay.start();
    await until(() => outbox.cutoffs.length >= 3);
    const batchesThen = outbox.batches();
    await until(() => outbox.batches() > batchesThen + 2);
    await relay.stop();
    expect(Date.now() - outbox.cutoffs[0]!.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(Date.now() - outbox.cutoffs[0]!.getTime()).toBeLessThan(DAY + 5_000);
  });
});
