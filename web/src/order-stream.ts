import { api, ApiError, origin, type Order } from './api.js';
import { FINAL_STATUSES } from './format.js';

export type Transport = 'stream' | 'polling';

export interface FollowOptions {
  token: string;
  orderId: string;
  onOrder(order: Order): void;
  onTransport(transport: Transport): void;
  onError(error: unknown): void;
  pollMs?: number;
}

/**
 * Follows an order until it is final: the SSE stream (read with fetch, which can send the bearer
 * token), and polling `GET /api/orders/:id` whenever the stream is missing, refused or drops.
 * Returns a function that stops following.
 */
export function followOrder(options: FollowOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  let final = false;
  const deliver = (order: Order) => {
    if (signal.aborted) return;
    final = FINAL_STATUSES.has(order.status);
    options.onOrder(order);
  };
  void (async () => {
    try {
      options.onTransport('stream');
      await readStream(options, deliver, signal);
    } catch {
      // fall through to polling
    }
    if (final || signal.aborted) return;
    options.onTransport('polling');
    await poll(options, deliver, signal, () => final);
  })();
  return () => controller.abort();
}

async function readStream(options: FollowOptions, deliver: (order: Order) => void, signal: AbortSignal) {
  const response = await fetch(`${origin.base}/api/orders/${encodeURIComponent(options.orderId)}/events`, {
    headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
    signal,
  });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
    await response.body?.cancel();
    throw new Error(`no event stream (${response.status})`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = eventData(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (data) deliver(JSON.parse(data) as Order);
    }
  }
}

/** The `data:` of one SSE event whose type is `order` (comments and other types give null). */
function eventData(block: string): string | null {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const [field = '', ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  return type === 'order' && data.length > 0 ? data.join('\n') : null;
}

async function poll(
  options: FollowOptions,
  deliver: (order: Order) => void,
  signal: AbortSignal,
  isFinal: () => boolean,
) {
  const interval = options.pollMs ?? 700;
  while (!signal.aborted && !isFinal()) {
    try {
      deliver(await api.getOrder(options.token, options.orderId, signal));
    } catch (error) {
      if (signal.aborted) return;
      options.onError(error);
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
