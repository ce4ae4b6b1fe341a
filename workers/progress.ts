import type { Channel } from 'amqplib';
import type { InjectedSinks } from '@temporalio/worker';
import type { OrderProgress } from '../contracts/order-progress.js';
import type { OrderProgressSinks, OrderSagaState } from '../contracts/order-saga.js';
import { keepChannel, type AmqpConnection } from '../lib/amqp.js';
import { declareTopicExchange } from '../lib/amqp-topology.js';
import type { Logger } from '../lib/logger.js';

export interface ProgressPublisher {
  sinks: InjectedSinks<OrderProgressSinks>;
  /** True while a channel is open (messages are dropped otherwise). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Pushes each saga's live state to the gateways (contracts/order-progress.ts): the last state of an order per
 * turn of the event loop, one transient message on a channel without confirms. Nothing is kept while the
 * broker is away: the next change, or the final domain event, makes good what was dropped.
 */
export function createProgressPublisher(
  connection: AmqpConnection,
  options: { exchange: string; logger: Logger },
): ProgressPublisher {
  const channel = keepChannel<Channel>(connection, {
    name: 'worker-order-progress',
    logger: options.logger,
    confirm: false,
    setup: (open) => declareTopicExchange(open, options.exchange),
  });
  const pending = new Map<string, OrderProgress>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const open = channel.current();
    for (const [orderId, message] of pending) {
      open?.publish(options.exchange, 'order.progress', Buffer.from(JSON.stringify(message)), {
        contentType: 'application/json',
        persistent: false,
        headers: { orderId },
      });
    }
    pending.clear();
  };
  const changed = (seq: number, state: OrderSagaState) => {
    pending.set(state.orderId, { type: 'order.progress', seq, state });
    if (!scheduled) setImmediate(flush);
    scheduled = true;
  };
  return {
    sinks: { orderProgress: { changed: { fn: (info, state) => changed(info.historyLength, state) } } },
    connected: () => channel.current() !== undefined,
    close: () => channel.close(),
  };
}

/** The sinks of a worker that pushes nothing (tests, no broker). */
export const noProgressSinks: InjectedSinks<OrderProgressSinks> = { orderProgress: { changed: { fn: () => {} } } };
