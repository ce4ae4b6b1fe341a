import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { keepChannel, type AmqpConnection } from './amqp.js';
import type { Logger } from './logger.js';
import { withTimeout } from './timeout.js';

class BrokerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

/** The broker confirmed the message but routed it to no queue (published `mandatory`, it came back). */
export class UnroutableMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnroutableMessageError';
  }
}

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options?: Options.Publish;
}

export interface Publisher {
  /**
   * Resolves once the broker has confirmed the message and routed it to at least one queue (it is then
   * safe there); rejects otherwise, with UnroutableMessageError when no queue was bound for it.
   */
  publish(message: PublishedMessage): Promise<void>;
  connected(): boolean;
  /** Calls `listener` each time the publisher can publish again (its channel reopened after an outage). */
  onReady?(listener: () => void): void;
  close(): Promise<void>;
}

export interface PublisherOptions {
  name: string;
  logger: Logger;
  /** Declares what the publisher needs (its exchange, the queues its messages are for) on every new channel. */
  setup?: (channel: ConfirmChannel) => Promise<void>;
  confirmTimeoutMs?: number;
}

/**
 * Publishes on a confirm channel kept open across reconnects; persistent and `mandatory` by default: a
 * message no queue takes is returned by the broker (before its confirm) and its publish rejects.
 */
export function createPublisher(connection: AmqpConnection, options: PublisherOptions): Publisher {
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  // Message ids in flight → whether the broker returned the message (basic.return comes before basic.ack).
  const returned = new Map<string, boolean>();
  const readyListeners: (() => void)[] = [];
  const channel = keepChannel<ConfirmChannel>(connection, {
    name: options.name,
    logger: options.logger,
    confirm: true,
    onOpen: () => readyListeners.forEach((listener) => listener()),
    setup: async (open) => {
      open.on('return', (message: ConsumeMessage) => {
        const id = message.properties.messageId as string | undefined;
        if (id !== undefined && returned.has(id)) returned.set(id, true);
      });
      await options.setup?.(open);
    },
  });
  return {
    async publish({ exchange, routingKey, body, options: publishOptions }) {
      const open = channel.current();
      if (!open) throw new BrokerUnavailableError('no open channel to the broker');
      const messageId = publishOptions?.messageId ?? randomUUID();
      const settings = { persistent: true, mandatory: true, ...publishOptions, messageId };
      returned.set(messageId, false);
      const confirmed = new Promise<void>((resolve, reject) => {
        open.publish(exchange, routingKey, body, settings, (error: unknown) => {
          if (error) return reject(new BrokerUnavailableError(`not confirmed: ${(error as Error)?.message ?? 'nack'}`));
          if (returned.get(messageId))
            return reject(new UnroutableMessageError(`no queue for ${exchange} ${routingKey}`));
          resolve();
        });
      });
      try {
        await withTimeout(confirmed, confirmTimeoutMs, 'broker confirm timed out');
      } finally {
        returned.delete(messageId);
      }
    },
    connected: () => channel.current() !== undefined,
    onReady: (listener) => void readyListeners.push(listener),
    close: () => channel.close(),
  };
}
