import type { Channel } from 'amqplib';
import { OrderEvent, ORDER_ROUTING_KEYS } from '../../contracts/events.js';
import { OrderProgress, orderProgressExchange } from '../../contracts/order-progress.js';
import type { OrderSagaState } from '../../contracts/order-saga.js';
import { keepChannel, type AmqpConnection } from '../../lib/amqp.js';
import { declareFanInQueue, declareTopicExchange } from '../../lib/amqp-topology.js';
import type { Logger } from '../../lib/logger.js';
import { createLiveStates } from './live-states.js';

/** A domain event, a pushed saga state, or undefined for "re-read": the subscription was re-established and messages may have been missed. */
export type OrderEventListener = (message: OrderEvent | OrderProgress | undefined) => void;

/** The order events and saga progress this gateway instance hears, dispatched to the live streams of each order. */
export interface OrderEventHub {
  subscribe: (orderId: string, listener: OrderEventListener) => () => void;
  /** The latest pushed state of a running saga, if this instance heard one (dropped once the order is final). */
  latestState: (orderId: string) => OrderSagaState | undefined;
  connected(): boolean;
  close(): Promise<void>;
}

function createListeners() {
  const byOrder = new Map<string, Set<OrderEventListener>>();
  const states = createLiveStates();
  const dispatch = (orderId: string, message: OrderEvent | OrderProgress | undefined) =>
    byOrder.get(orderId)?.forEach((l) => l(message));
  return {
    subscribe: (orderId: string, listener: OrderEventListener) => {
      const set = byOrder.get(orderId) ?? new Set();
      byOrder.set(orderId, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0) byOrder.delete(orderId);
      };
    },
    latestState: states.get,
    receive: (message: OrderEvent | OrderProgress) => {
      if (message.type === 'order.progress') {
        if (!states.offer(message)) return; // older than what was heard already
        return dispatch(message.state.orderId, message);
      }
      if (message.type !== 'order.placed') states.finish(message.orderId);
      dispatch(message.orderId, message);
    },
    resyncAll: () => byOrder.forEach((set) => set.forEach((l) => l(undefined))),
  };
}

/**
 * Each instance consumes through its own exclusive, auto-delete queue bound to the events exchange and to
 * the progress exchange, so every replica hears everything. After a reconnect every stream re-reads its order.
 */
export function createAmqpOrderEventHub(
  connection: AmqpConnection,
  options: { exchange: string; logger: Logger },
): OrderEventHub {
  const listeners = createListeners();
  const progressExchange = orderProgressExchange(options.exchange);
  const channel = keepChannel<Channel>(connection, {
    name: 'gateway-order-events',
    logger: options.logger,
    confirm: false,
    setup: async (open) => {
      const queue = await declareFanInQueue(open, options.exchange, ORDER_ROUTING_KEYS);
      await declareTopicExchange(open, progressExchange);
      await open.bindQueue(queue, progressExchange, '#');
      await open.consume(
        queue,
        (message) => {
          if (!message) return;
          const body = safeJson(message.content);
          const parsed =
            message.fields.exchange === progressExchange ? OrderProgress.safeParse(body) : OrderEvent.safeParse(body);
          if (parsed.success) listeners.receive(parsed.data);
        },
        { noAck: true },
      );
      listeners.resyncAll();
    },
  });
  return {
    subscribe: listeners.subscribe,
    latestState: listeners.latestState,
    connected: () => channel.current() !== undefined,
    close: () => channel.close(),
  };
}

/** In-process hub for tests and for a gateway without a broker: `publish` plays the broker. */
export function createLocalOrderEventHub(): OrderEventHub & { publish(message: OrderEvent | OrderProgress): void } {
  const listeners = createListeners();
  return {
    subscribe: listeners.subscribe,
    latestState: listeners.latestState,
    publish: listeners.receive,
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
