import { connect } from 'amqplib';
import { orderProgressExchange } from '../contracts/order-progress.js';
import { declareWorkQueue } from '../lib/amqp-topology.js';
import { notificationsQueue } from '../services/notifications/consumer.js';

export interface EventTopology {
  amqpUrl: string;
  exchange: string;
  notificationsQueue: string;
}

/**
 * Declares the exchange and the notifications queue before any process starts, so no event published
 * before the notifications service first connects is lost (an exchange drops what no queue is bound to).
 */
export async function declareEventTopology(topology: EventTopology): Promise<void> {
  const connection = await connect(topology.amqpUrl);
  try {
    const channel = await connection.createChannel();
    await declareWorkQueue(channel, notificationsQueue(topology.notificationsQueue, topology.exchange));
  } finally {
    await connection.close();
  }
}

/** Removes a throwaway topology (tests). */
export async function deleteEventTopology(topology: EventTopology): Promise<void> {
  const connection = await connect(topology.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const work = notificationsQueue(topology.notificationsQueue, topology.exchange);
    await channel.deleteQueue(work.queue);
    await channel.deleteQueue(work.deadLetterQueue);
    await channel.deleteExchange(work.exchange);
    // Declared by the worker and the gateways, not here: it outlives them unless deleted too.
    await channel.deleteExchange(orderProgressExchange(topology.exchange));
  } finally {
    await connection.close();
  }
}
