import type { AmqpConnection } from '../../lib/amqp.js';
import { createConsumer, type Consumer } from '../../lib/amqp-consumer.js';
import { declareWorkQueue, orderEventsQueue, type WorkQueue } from '../../lib/amqp-topology.js';
import { registerDeadLetterGauge } from '../../lib/dead-letters.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry } from 'prom-client';
import { createOrderEventHandler } from './order-events.js';
import type { NotificationStore } from './store.js';

export { DELIVERY_LIMIT } from '../../lib/amqp-topology.js';
/** The service's durable quorum queue on the order events (declared by orders too), and its dead-letter queue. */
export const notificationsQueue = orderEventsQueue;

export interface OrderEventConsumerOptions {
  connection: AmqpConnection;
  store: NotificationStore;
  logger: Logger;
  work: WorkQueue;
  prefetch: number;
  /** First wait before a failed delivery is handled again (in place; doubles up to 2 s). */
  retryDelayMs?: number;
  /** Where the dead-letter metrics go. */
  registry?: Registry;
}

/** Consumes the order events; a database outage only delays them (retried in place), a malformed one is dead-lettered. */
export function startOrderEventConsumer(options: OrderEventConsumerOptions): Consumer {
  const { connection, logger, work } = options;
  if (options.registry) registerDeadLetterGauge(connection, options.registry, work.deadLetterQueue);
  return createConsumer(connection, {
    name: `notifications:${work.queue}`,
    logger,
    queue: work.queue,
    prefetch: options.prefetch,
    retryDelayMs: options.retryDelayMs,
    registry: options.registry,
    setup: (channel) => declareWorkQueue(channel, work),
    handle: createOrderEventHandler(options.store, logger),
  });
}
