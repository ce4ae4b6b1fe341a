import type { Channel, ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, type Registry } from 'prom-client';
import { keepChannel, type AmqpConnection } from './amqp.js';
import type { Logger } from './logger.js';

/** A message that can never be handled (malformed, wrong schema): dead-lettered at once, never retried. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export type MessageHandler = (message: ConsumeMessage) => Promise<void>;

export interface ConsumerOptions {
  name: string;
  logger: Logger;
  queue: string;
  prefetch: number;
  /** Declares the queue (and what it needs) on every new channel, before consuming. */
  setup: (channel: Channel) => Promise<void>;
  /**
   * Returns → ack. Throws PoisonMessageError → reject to the dead-letter queue. Throws anything else →
   * the same delivery is handled again after a backoff, in place: never requeued, so a database outage of
   * any length never spends the queue's delivery limit (which stays for messages that kill the process).
   */
  handle: MessageHandler;
  /** First wait before handling a failed delivery again; doubles up to `retryMaxDelayMs`. */
  retryDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Where `amqp_dead_lettered_total` is registered. */
  registry?: Registry;
}

export interface Consumer {
  consuming(): boolean;
  close(): Promise<void>;
}

/** Manual-ack consumer with prefetch, kept consuming across reconnects and channel errors. */
export function createConsumer(connection: AmqpConnection, options: ConsumerOptions): Consumer {
  const { logger, name } = options;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 2_000;
  const inFlight = new Set<Promise<void>>();
  const closedChannels = new WeakSet<Channel>();
  const stopping = new AbortController();
  const deadLettered = new Counter({
    name: 'amqp_dead_lettered_total',
    help: 'Messages a consumer rejected as poison (sent to the dead-letter queue)',
    labelNames: ['queue'] as const,
    registers: options.registry ? [options.registry] : [],
  });

  /** Handles one delivery until it succeeds, is poison, or its channel (or the consumer) is gone. */
  const settle = async (channel: Channel, message: ConsumeMessage) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.handle(message);
        return channel.ack(message);
      } catch (error) {
        const context = { amqp: name, messageId: message.properties.messageId, err: (error as Error).message };
        if (error instanceof PoisonMessageError) {
          logger.error(context, 'poison message: dead-lettered');
          deadLettered.inc({ queue: options.queue });
          return channel.reject(message, false);
        }
        // The broker redelivers what an unacked, closed channel held (once, whatever the number of attempts).
        if (closedChannels.has(channel) || stopping.signal.aborted) return;
        const delayMs = Math.min(retryDelayMs * 2 ** (attempt - 1), retryMaxDelayMs);
        if (attempt === 1 || attempt % 10 === 0) {
          logger.warn({ ...context, attempt, retryInMs: delayMs }, 'message handling failed; trying again in place');
        }
        await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };

  const channel = keepChannel<Channel>(connection, {
    name,
    logger,
    confirm: false,
    setup: async (open) => {
      open.once('close', () => closedChannels.add(open));
      await options.setup(open);
      await open.prefetch(options.prefetch);
      await open.consume(
        options.queue,
        (message) => {
          // null: the broker cancelled the consumer (queue deleted); closing reopens and redeclares it.
          if (message === null) return void open.close().catch(() => {});
          if (stopping.signal.aborted) return;
          const work = settle(open, message).catch((error: unknown) =>
            // The channel died between handling and ack: the broker redelivers, the handler dedupes.
            logger.warn({ amqp: name, err: (error as Error).message }, 'ack failed; message will be redelivered'),
          );
          inFlight.add(work);
          void work.finally(() => inFlight.delete(work));
        },
        { noAck: false },
      );
    },
  });

  return {
    consuming: () => channel.current() !== undefined,
    close: async () => {
      stopping.abort();
      await Promise.allSettled([...inFlight]);
      await channel.close();
    },
  };
}
