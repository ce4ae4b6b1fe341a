import { FinalStatuses, type Order } from '../contracts/orders.js';

/** How a customer learns an order's outcome after its 202. */
export type Follow = (token: string, orderId: string) => Promise<Order>;

/** Reads GET /api/orders/:id/events until the event with a final status, as the storefront does. */
export function followBySse(apiUrl: string): Follow {
  return async (token, orderId) => {
    const response = await fetch(new URL(`/api/orders/${orderId}/events`, apiUrl), {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    if (response.status !== 200 || !response.body) throw new Error(`events of ${orderId}: ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream of ${orderId} ended before a final status`);
        buffered += value;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          const order = JSON.parse(data) as Order;
          if (FinalStatuses.includes(order.status)) return order;
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  };
}

/** Polls GET /api/orders/:id every `everyMs` until a final status. */
export function followByPolling(apiUrl: string, everyMs: number): Follow {
  return async (token, orderId) => {
    for (;;) {
      const response = await fetch(new URL(`/api/orders/${orderId}`, apiUrl), {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 200) throw new Error(`GET ${orderId}: ${response.status}`);
      const order = (await response.json()) as Order;
      if (FinalStatuses.includes(order.status)) return order;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
}
