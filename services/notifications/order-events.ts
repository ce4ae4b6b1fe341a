import type { ConsumeMessage } from 'amqplib';
import { OrderEvent } from '../../contracts/events.js';
import { PoisonMessageError } from '../../lib/amqp-consumer.js';
import type { Logger } from '../../lib/logger.js';
import { notificationFor } from './messages.js';
import type { NotificationStore } from './store.js';

/** Parses a message of `orders.events`; anything that is not a valid event is poison (dead-lettered, never retried). */
function parseOrderEvent(message: Pick<ConsumeMessage, 'content'>): OrderEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.content.toString('utf8'));
  } catch {
    throw new PoisonMessageError('message body is not JSON');
  }
  const parsed = OrderEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PoisonMessageError(`not an order event: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** Handles one delivery: dedupes on the event id and writes the notification in the same transaction. */
export function createOrderEventHandler(store: NotificationStore, logger: Logger) {
  return async (message: Pick<ConsumeMessage, 'content'>): Promise<void> => {
    const event = parseOrderEvent(message);
    const fresh = await store.recordEvent(event, notificationFor(event));
    logger.debug({ eventId: event.id, type: event.type, orderId: event.orderId, duplicate: !fresh }, 'order event');
  };
}
