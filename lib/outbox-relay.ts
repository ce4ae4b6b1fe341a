import type { Logger } from './logger.js';
import type { Publisher } from './amqp-publisher.js';

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
  /** Looks at the outbox now (call after committing an event). */
  wake(): void;
  stop(): Promise<void>;
}

/** At-least-once relay: publish, wait for the confirm, then mark sent; retries with backoff. */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { store, publisher, exchange, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const idleMs = options.idleMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const backoff = exponentialBackoff(idleMs, maxBackoffMs);
  const retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let lastPrune = 0;
  let failures = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

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
      if (failures > 0) await sleep(backoff.next());
      else {
        backoff.reset();
        if (read === undefined || read < batchSize) {
          await prune();
          await sleep(idleMs);
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
    wake: () => wakeUp?.(),
    stop: async () => {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}

function exponentialBackoff(initialMs: number, maxMs: number) {
  let attempt = 0;
  return {
    next() {
      attempt += 1;
      const base = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
      return Math.round(base / 2 + (Math.random() * base) / 2);
    },
    reset: () => void (attempt = 0),
  };
}
