import type { Channel, ConsumeMessage } from 'amqplib';
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
  /** Returns → ack. Throws PoisonMessageError → reject to the dead-letter queue. Throws anything else → requeued after `retryDelayMs` (the queue's delivery limit bounds the attempts). */
  handle: MessageHandler;
  retryDelayMs?: number;
}

export interface Consumer {
  consuming(): boolean;
  close(): Promise<void>;
}

/** Manual-ack consumer with prefetch, kept consuming across reconnects and channel errors. */
export function createConsumer(connection: AmqpConnection, options: ConsumerOptions): Consumer {
  const { logger, name } = options;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const settle = async (channel: Channel, message: ConsumeMessage) => {
    let failure: unknown;
    try {
      await options.handle(message);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) return channel.ack(message);
    const context = { amqp: name, messageId: message.properties.messageId, err: (failure as Error).message };
    if (failure instanceof PoisonMessageError) {
      logger.error(context, 'poison message: dead-lettered');
      return channel.reject(message, false);
    }
    logger.warn(context, 'message handling failed; requeued after a delay');
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    channel.nack(message, false, true);
  };

  const channel = keepChannel<Channel>(connection, {
    name,
    logger,
    confirm: false,
    setup: async (open) => {
      await options.setup(open);
      await open.prefetch(options.prefetch);
      await open.consume(
        options.queue,
        (message) => {
          // null: the broker cancelled the consumer (queue deleted); closing reopens and redeclares it.
          if (message === null) return void open.close().catch(() => {});
          if (stopping) return;
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
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await channel.close();
    },
  };
}
