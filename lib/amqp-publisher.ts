import type { ConfirmChannel, Options } from 'amqplib';
import { keepChannel, type AmqpConnection } from './amqp.js';
import type { Logger } from './logger.js';
import { withTimeout } from './timeout.js';

export class BrokerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options?: Options.Publish;
}

export interface Publisher {
  /** Resolves once the broker has confirmed the message (it is then safe on the broker); rejects otherwise. */
  publish(message: PublishedMessage): Promise<void>;
  connected(): boolean;
  close(): Promise<void>;
}

export interface PublisherOptions {
  name: string;
  logger: Logger;
  /** Declares what the publisher needs (its exchange) on every new channel. */
  setup?: (channel: ConfirmChannel) => Promise<void>;
  confirmTimeoutMs?: number;
}

/** Publishes on a confirm channel kept open across reconnects; persistent by default. */
export function createPublisher(connection: AmqpConnection, options: PublisherOptions): Publisher {
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const channel = keepChannel<ConfirmChannel>(connection, {
    name: options.name,
    logger: options.logger,
    confirm: true,
    setup: options.setup ?? (async () => {}),
  });
  return {
    publish({ exchange, routingKey, body, options: publishOptions }) {
      const open = channel.current();
      if (!open) return Promise.reject(new BrokerUnavailableError('no open channel to the broker'));
      const confirmed = new Promise<void>((resolve, reject) => {
        open.publish(exchange, routingKey, body, { persistent: true, ...publishOptions }, (error: unknown) =>
          error
            ? reject(new BrokerUnavailableError(`not confirmed: ${error instanceof Error ? error.message : 'nack'}`))
            : resolve(),
        );
      });
      return withTimeout(confirmed, confirmTimeoutMs, 'broker confirm timed out');
    },
    connected: () => channel.current() !== undefined,
    close: () => channel.close(),
  };
}
