import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { OrderProgress } from '../../contracts/order-progress.js';
import { FinalStatuses, type Order } from '../../contracts/orders.js';
import type { Logger } from '../../lib/logger.js';
import type { OrderEventHub, OrderEventListener } from './event-hub.js';
import { orderFromRecordAndState } from './views.js';

export interface OrderStreamOptions {
  orderId: string;
  hub: OrderEventHub;
  /** Reads the order as GET /api/orders/:id answers it (authorization already checked). */
  read: () => Promise<Order>;
  log: Logger;
  /** A `: keep-alive` comment after this much silence (the contract: at most 15 s). */
  keepAliveMs: number;
  /** Re-read a pending order after this long without a pushed change (a progress message may be lost). */
  refreshMs: number;
  /** Called once when the stream has ended: final status sent, client gone, or an error. */
  onClose?: () => void;
}

const isFinal = (order: Order) => FinalStatuses.includes(order.status);
const progressOf = (order: Order) => JSON.stringify([order.status, order.steps]);

/**
 * Server-Sent Events of one order: the snapshot first, then an event whenever its status or steps change,
 * ended after the final status. Step progress is pushed by the worker (OrderProgress) and applied to the
 * order last sent, with no read; a domain event, a final status or a resubscription triggers a re-read, so
 * the final event is always the authoritative order.
 */
export function streamOrder(c: Context, first: Order, options: OrderStreamOptions): Response {
  return streamSSE(c, async (stream) => {
    try {
      await sendUntilFinal(stream, first, options);
    } finally {
      options.onClose?.();
    }
  });
}

async function sendUntilFinal(stream: SSEStreamingApi, first: Order, options: OrderStreamOptions): Promise<void> {
  let sequence = 0;
  let last = first;
  const writes = { at: Date.now() };
  const send = async (order: Order) => {
    sequence += 1;
    last = order;
    writes.at = Date.now();
    await stream.writeSSE({ event: 'order', id: String(sequence), data: JSON.stringify(order) });
  };
  await send(first);
  if (isFinal(first)) return;
  await followUntilFinal(stream, options, writes, {
    emit: async (order) => {
      if (progressOf(order) !== progressOf(last)) await send(order);
    },
    apply: (progress) => orderFromRecordAndState(last, progress.state),
  });
}

interface Sink {
  emit: (order: Order) => Promise<void>;
  /** The order last sent, moved on by a pushed state. */
  apply: (progress: OrderProgress) => Order;
}

async function followUntilFinal(
  stream: SSEStreamingApi,
  options: OrderStreamOptions,
  writes: { at: number },
  sink: Sink,
): Promise<void> {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let sending = Promise.resolve();
  /** Sends in arrival order: a pushed state never overtakes a re-read in flight, nor the other way round. */
  const enqueue = (next: () => Promise<Order | undefined>) => {
    sending = sending.then(async () => {
      if (stream.aborted) return finish();
      try {
        const order = await next();
        if (!order) return;
        await sink.emit(order);
        if (isFinal(order)) finish();
      } catch (error) {
        options.log.warn({ err: (error as Error).message }, 'order stream update failed; retrying on the next change');
      }
    });
  };
  const heard = { at: Date.now() };
  const reread = () => enqueue(() => options.read());
  const onMessage: OrderEventListener = (message) => {
    heard.at = Date.now();
    if (message?.type === 'order.progress' && !FinalStatuses.includes(message.state.status))
      return enqueue(async () => sink.apply(message));
    reread();
  };
  const unsubscribe = options.hub.subscribe(options.orderId, onMessage);
  const ticker = setInterval(
    () => {
      if (Date.now() - heard.at >= options.refreshMs) {
        heard.at = Date.now();
        reread();
      }
      if (Date.now() - writes.at >= options.keepAliveMs) {
        writes.at = Date.now();
        void stream.write(': keep-alive\n\n').catch(finish);
      }
    },
    Math.min(options.refreshMs, options.keepAliveMs, 1_000),
  );
  stream.onAbort(finish);
  if (stream.aborted) finish(); // gone before the subscription: onAbort will not fire again
  // Anything that happened between the snapshot and the subscription: the state pushed meanwhile, else a re-read.
  const pushed = options.hub.latestState(options.orderId);
  if (pushed) enqueue(async () => sink.apply({ type: 'order.progress', seq: 0, state: pushed }));
  else reread();
  await finished;
  clearInterval(ticker);
  unsubscribe();
  await sending;
}
