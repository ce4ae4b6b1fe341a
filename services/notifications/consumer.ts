import { ORDER_EVENTS_EXCHANGE, ORDER_ROUTING_KEYS } from '../../contracts/events.js';
import type { AmqpConnection } from '../../lib/amqp.js';
import { createConsumer, type Consumer } from '../../lib/amqp-consumer.js';
import { deadLetterQueueOf, declareWorkQueue, type WorkQueue } from '../../lib/amqp-topology.js';
import type { Logger } from '../../lib/logger.js';
import { createOrderEventHandler } from './order-events.js';
import type { NotificationStore } from './store.js';

export const DELIVERY_LIMIT = 10;

/** The service's durable quorum queue on the order events, and its dead-letter queue. */
export function notificationsQueue(queue: string, exchange = ORDER_EVENTS_EXCHANGE): WorkQueue {
  return {
    exchange,
    queue,
    bindings: ORDER_ROUTING_KEYS,
    deadLetterQueue: deadLetterQueueOf(queue),
    deliveryLimit: DELIVERY_LIMIT,
  };
}

export interface OrderEventConsumerOptions {
  connection: AmqpConnection;
  store: NotificationStore;
  logger: Logger;
  work: WorkQueue;
  prefetch: number;
  retryDelayMs?: number;
}

export function startOrderEventConsumer(options: OrderEventConsumerOptions): Consumer {
  const { connection, logger, work } = options;
  return createConsumer(connection, {
    name: `notifications:${work.queue}`,
    logger,
    queue: work.queue,
    prefetch: options.prefetch,
    retryDelayMs: options.retryDelayMs,
    setup: (channel) => declareWorkQueue(channel, work),
    handle: createOrderEventHandler(options.store, logger),
  });
}
