import type { Channel } from 'amqplib';
import { ORDER_EVENTS_EXCHANGE, ORDER_ROUTING_KEYS } from '../contracts/events.js';

/** A durable quorum work queue bound to a topic exchange, with its dead-letter queue. */
export interface WorkQueue {
  exchange: string;
  queue: string;
  bindings: readonly string[];
  /** Where rejected and over-delivered messages go (through the default exchange). */
  deadLetterQueue: string;
  /** Deliveries after which a message that keeps failing is dead-lettered instead of redelivered. */
  deliveryLimit: number;
}

export const deadLetterQueueOf = (queue: string) => `${queue}.dead-letter`;

/** Deliveries before the broker dead-letters a message: only reached by one that keeps killing its consumer. */
export const DELIVERY_LIMIT = 10;
export const DEFAULT_NOTIFICATIONS_QUEUE = 'notifications.order-events';

/**
 * The notifications service's durable quorum queue on the order events, with its dead-letter queue.
 * Declared by its consumer and by the publisher (orders) alike, so no event is published before it exists.
 */
export function orderEventsQueue(queue = DEFAULT_NOTIFICATIONS_QUEUE, exchange = ORDER_EVENTS_EXCHANGE): WorkQueue {
  return {
    exchange,
    queue,
    bindings: ORDER_ROUTING_KEYS,
    deadLetterQueue: deadLetterQueueOf(queue),
    deliveryLimit: DELIVERY_LIMIT,
  };
}

export async function declareTopicExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/** Idempotent: the same declaration again is a no-op; a different one is refused by the broker (406). */
export async function declareWorkQueue(channel: Channel, work: WorkQueue): Promise<void> {
  await declareTopicExchange(channel, work.exchange);
  await channel.assertQueue(work.deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(work.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': work.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': work.deadLetterQueue,
    },
  });
  for (const key of work.bindings) await channel.bindQueue(work.queue, work.exchange, key);
}

/**
 * A queue that lives as long as this channel's connection (exclusive, auto-delete): each gateway
 * instance gets every event, whatever the number of replicas.
 */
export async function declareFanInQueue(channel: Channel, exchange: string, bindings: readonly string[]) {
  await declareTopicExchange(channel, exchange);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  for (const key of bindings) await channel.bindQueue(queue, exchange, key);
  return queue;
}
