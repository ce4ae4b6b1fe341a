import type { Logger } from './logger.js';
import type { Publisher } from './amqp-publisher.js';
import { exponentialBackoff, wakeableSleep } from './backoff.js';

/** One row of a transactional outbox: an event waiting to be published. */
export interface OutboxMessage {
  id: string;
  routingKey: string;
  payload: unknown;
  occurredAt: Date;
}

export interface OutboxStore {
  /**
   * In one transaction: the oldest unsent event of each aggregate (so a later event of the same
   * aggregate never overtakes an earlier one), oldest first, up to `limit`; `publish` returns the ids
   * the broker confirmed, which are marked sent before the commit. Returns how many rows were read,
   * or undefined when another relay holds the outbox.
   */
  relayBatch(limit: number, publish: (rows: OutboxMessage[]) => Promise<string[]>): Promise<number | undefined>;
  /** Deletes up to `limit` events published before `sentBefore` (never an unsent one); returns how many. */
  pruneSent?(sentBefore: Date, limit: number): Promise<number>;
}

export interface OutboxRelayOptions {
  store: OutboxStore;
  publisher: Publisher;
  exchange: string;
  logger: Logger;
  appId: string;
  batchSize?: number;
  /** Poll interval while the outbox is empty; `wake()` cuts it short. */
  idleMs?: number;
  maxBackoffMs?: number;
  /** How long a published event is kept (for inspection and replays by hand) before the relay deletes it. */
  retentionMs?: number;
  /** How often the relay looks for events past their retention. */
  pruneEveryMs?: number;
  /** Test hook: runs after the broker confirmed a batch, before it is marked sent (a crash there re-publishes). */
  afterPublish?: (ids: string[]) => Promise<void>;
}

export interface OutboxRelay {
  start(): void;
  /** Looks at the outbox now, or right after the batch under way (call after committing an event); a failure backoff is not cut short. */
  wake(): void;
  stop(): Promise<void>;
}

/** At-least-once relay: publish, wait for the confirm, then mark sent; retries with backoff. */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { store, publisher, exchange, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const idleMs = options.idleMs ?? 250;
  // Short: after an outage the next try is at most ~2 s away (and a reconnect wakes the relay at once).
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  const backoff = exponentialBackoff(idleMs, maxBackoffMs);
  const retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let lastPrune = 0;
  let failures = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  const nap = wakeableSleep();
  // Back from an outage: publish what waited at once, not at the end of the current backoff.
  publisher.onReady?.(() => nap.wake(true));

  const publishBatch = async (rows: OutboxMessage[]): Promise<string[]> => {
    const outcomes = await Promise.allSettled(
      rows.map((row) =>
        publisher.publish({
          exchange,
          routingKey: row.routingKey,
          body: Buffer.from(JSON.stringify(row.payload)),
          options: {
            persistent: true,
            messageId: row.id,
            contentType: 'application/json',
            type: row.routingKey,
            appId: options.appId,
            timestamp: Math.floor(row.occurredAt.getTime() / 1000),
          },
        }),
      ),
    );
    const confirmed = rows.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((row) => row.id);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed)
      logger.warn({ err: (failed.reason as Error).message, failed: rows.length - confirmed.length }, 'publish failed');
    await options.afterPublish?.(confirmed);
    if (confirmed.length < rows.length) failures += 1;
    return confirmed;
  };

  /** Deletes what is past its retention in bounded batches, at most once per `pruneEveryMs`. */
  const prune = async () => {
    if (!store.pruneSent || Date.now() - lastPrune < pruneEveryMs) return;
    lastPrune = Date.now();
    const batch = 1000;
    try {
      let deleted = 0;
      let last = batch;
      while (last === batch && running) {
        last = await store.pruneSent(new Date(Date.now() - retentionMs), batch);
        deleted += last;
      }
      if (deleted > 0) logger.info({ deleted }, 'pruned published outbox events');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'outbox prune failed');
    }
  };

  const run = async () => {
    while (running) {
      failures = 0;
      let read: number | undefined;
      try {
        read = await store.relayBatch(batchSize, publishBatch);
      } catch (error) {
        failures += 1;
        logger.warn({ err: (error as Error).message }, 'outbox relay batch failed');
      }
      if (!running) break;
      if (failures > 0) await nap.sleep(backoff.next(), true);
      else {
        backoff.reset();
        if (read === undefined || read < batchSize) {
          await prune();
          await nap.sleep(idleMs, false);
        }
      }
    }
  };
  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake: () => nap.wake(false),
    stop: async () => {
      running = false;
      nap.wake(true);
      await loop;
    },
  };
}
