import type { Channel } from 'amqplib';
import { OrderEvent, ORDER_ROUTING_KEYS } from '../../contracts/events.js';
import { keepChannel, type AmqpConnection } from '../../lib/amqp.js';
import { declareFanInQueue } from '../../lib/amqp-topology.js';
import type { Logger } from '../../lib/logger.js';

/** `event` is undefined for "re-read": the subscription was re-established and events may have been missed. */
export type OrderEventListener = (event: OrderEvent | undefined) => void;

/** The order events this gateway instance hears, dispatched to the live streams of each order. */
export interface OrderEventHub {
  subscribe: (orderId: string, listener: OrderEventListener) => () => void;
  connected(): boolean;
  close(): Promise<void>;
}

function createListeners() {
  const byOrder = new Map<string, Set<OrderEventListener>>();
  return {
    subscribe: (orderId: string, listener: OrderEventListener) => {
      const set = byOrder.get(orderId) ?? new Set();
      byOrder.set(orderId, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0) byOrder.delete(orderId);
      };
    },
    dispatch: (orderId: string, event: OrderEvent | undefined) => byOrder.get(orderId)?.forEach((l) => l(event)),
    resyncAll: () => byOrder.forEach((set) => set.forEach((l) => l(undefined))),
  };
}

/**
 * Each instance consumes through its own exclusive, auto-delete queue bound to the exchange, so every
 * replica hears every event. After a reconnect every stream re-reads its order (what was missed).
 */
export function createAmqpOrderEventHub(
  connection: AmqpConnection,
  options: { exchange: string; logger: Logger },
): OrderEventHub {
  const listeners = createListeners();
  const channel = keepChannel<Channel>(connection, {
    name: 'gateway-order-events',
    logger: options.logger,
    confirm: false,
    setup: async (open) => {
      const queue = await declareFanInQueue(open, options.exchange, ORDER_ROUTING_KEYS);
      await open.consume(
        queue,
        (message) => {
          if (!message) return;
          const parsed = OrderEvent.safeParse(safeJson(message.content));
          if (parsed.success) listeners.dispatch(parsed.data.orderId, parsed.data);
        },
        { noAck: true },
      );
      listeners.resyncAll();
    },
  });
  return {
    subscribe: listeners.subscribe,
    connected: () => channel.current() !== undefined,
    close: () => channel.close(),
  };
}

/** In-process hub for tests and for a gateway without a broker: `publish` plays the broker. */
export function createLocalOrderEventHub(): OrderEventHub & { publish(event: OrderEvent): void } {
  const listeners = createListeners();
  return {
    subscribe: listeners.subscribe,
    publish: (event) => listeners.dispatch(event.orderId, event),
    connected: () => true,
    close: async () => {},
  };
}

function safeJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return undefined;
  }
}
