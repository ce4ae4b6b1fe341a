import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { FinalStatuses, type Order } from '../../contracts/orders.js';
import type { Logger } from '../../lib/logger.js';
import type { OrderEventHub } from './event-hub.js';

export interface OrderStreamOptions {
  orderId: string;
  hub: OrderEventHub;
  /** Reads the order as GET /api/orders/:id answers it (authorization already checked). */
  read: () => Promise<Order>;
  log: Logger;
  /** A `: keep-alive` comment after this much silence (the contract: at most 15 s). */
  keepAliveMs: number;
  /** Re-read a pending order this often, for step progress (status changes arrive as events). */
  refreshMs: number;
  /** Called once when the stream has ended: final status sent, client gone, or an error. */
  onClose?: () => void;
}

const isFinal = (order: Order) => FinalStatuses.includes(order.status);
const progressOf = (order: Order) => JSON.stringify([order.status, order.steps]);

/**
 * Server-Sent Events of one order: the snapshot first, then an event whenever its status or steps
 * change, ended after the final status. Broker events trigger a re-read, so what is sent is always
 * the authoritative order, never a partial event.
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
  let last = '';
  const writes = { at: Date.now() };
  const send = async (order: Order) => {
    sequence += 1;
    last = progressOf(order);
    writes.at = Date.now();
    await stream.writeSSE({ event: 'order', id: String(sequence), data: JSON.stringify(order) });
  };
  await send(first);
  if (isFinal(first)) return;
  await followUntilFinal(stream, options, writes, async (order) => {
    if (progressOf(order) !== last) await send(order);
  });
}

async function followUntilFinal(
  stream: SSEStreamingApi,
  options: OrderStreamOptions,
  writes: { at: number },
  emit: (order: Order) => Promise<void>,
): Promise<void> {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let reading: Promise<void> | undefined;
  let again = false;
  const refresh = () => {
    if (reading) return void (again = true);
    reading = (async () => {
      do {
        again = false;
        try {
          const order = await options.read();
          await emit(order);
          if (isFinal(order)) return finish();
        } catch (error) {
          options.log.warn({ err: (error as Error).message }, 'order stream re-read failed; retrying on the next tick');
        }
      } while (again && !stream.aborted);
    })().finally(() => (reading = undefined));
  };
  const unsubscribe = options.hub.subscribe(options.orderId, refresh);
  const ticker = setInterval(
    () => {
      refresh();
      if (Date.now() - writes.at >= options.keepAliveMs) {
        writes.at = Date.now();
        void stream.write(': keep-alive\n\n').catch(finish);
      }
    },
    Math.min(options.refreshMs, options.keepAliveMs),
  );
  stream.onAbort(finish);
  if (stream.aborted) finish(); // gone before the subscription: onAbort will not fire again
  refresh(); // anything that happened between the snapshot and the subscription
  await finished;
  clearInterval(ticker);
  unsubscribe();
  await reading;
}
