import { Agent, type Dispatcher } from 'undici';

/** One request of a service client, its body already serialized. */
export interface HttpExchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | undefined;
  /** The whole exchange, connection and body included. */
  timeoutMs: number;
}

/** What `Headers` offers a reader: the named header's value, or null. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The parts of an answer a service client reads; an unreadable body reads as ''. */
export interface HttpAnswer {
  status: number;
  headers: HeaderReader;
  text: string;
}

/** Sends one exchange; throws when no answer came (refused, reset, timed out). */
export type Send = (exchange: HttpExchange) => Promise<HttpAnswer>;

/** Over a WHATWG fetch: Node's own (tests, scripts) or an app's `fetch` handler (fake services). */
export function sendByFetch(doFetch: typeof fetch): Send {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text().catch(() => '');
    return { status: response.status, headers: response.headers, text };
  };
}

/**
 * Over an undici dispatcher's request(): the same exchange without fetch's WHATWG layer (Request,
 * Headers, body streams), which cost the worker's main thread several times the HTTP work itself.
 */
export function sendThrough(dispatcher: Dispatcher): Send {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await answer.body.text().catch(() => '');
    return { status: answer.statusCode, headers: headerReader(answer.headers), text };
  };
}

function headerReader(headers: Dispatcher.ResponseData['headers']): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * The connection pool a process's service clients share: keep-alive sockets per service, one request
 * at a time on each (a pipelined request would wait behind a slow one). Idle sockets are closed before
 * the server's keep-alive timeout (Node's 5 s, announced in its `Keep-Alive` header) closes them.
 */
export function createServiceDispatcher(): Agent {
  return new Agent({ pipelining: 1, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 });
}
