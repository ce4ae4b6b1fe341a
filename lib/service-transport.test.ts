import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceDispatcher } from './http-exchange.js';
import { startHttpServer, type RunningServer } from './http-server.js';
import {
  createServiceTransport,
  NotModifiedError,
  ServiceOverloadedError,
  ServiceRejectedError,
  ServiceUnavailableError,
  type ServiceTransportOptions,
} from './service-transport.js';

const problem = (status: number, code: string) => ({ type: 'about:blank', title: 't', status, detail: 'd', code });
const sockets = new Set<string>();
const held: (() => void)[] = [];
const app = new Hono<{ Bindings: HttpBindings }>()
  .use(async (c, next) => {
    sockets.add(`${c.env.incoming.socket.remoteAddress}:${c.env.incoming.socket.remotePort}`);
    await next();
  })
  .post('/echo', async (c) =>
    c.json(
      {
        body: await c.req.json<unknown>(),
        query: c.req.query('page') ?? null,
        auth: c.req.header('authorization') ?? null,
        key: c.req.header('idempotency-key') ?? null,
        requestId: c.req.header('x-request-id') ?? null,
      },
      200,
      { etag: '"v7"' },
    ),
  )
  .get('/taken', (c) => c.json(problem(409, 'EMAIL_TAKEN'), 409))
  .get('/busy', (c) => c.json(problem(503, 'OVERLOADED'), 503, { 'retry-after': '3' }))
  .get('/broken', (c) => c.text('boom', 500))
  .get('/same', (c) => c.body(null, 304, { etag: '"v7"' }))
  .get('/hang', () => new Promise<Response>((resolve) => held.push(() => resolve(new Response('late')))));

let server: RunningServer;
let dispatcher: Agent;
beforeAll(async () => {
  server = await startHttpServer(app, 0);
  dispatcher = createServiceDispatcher();
});
afterAll(async () => {
  for (const release of held) release();
  await dispatcher.destroy();
  await server.close();
});

const Echo = z.object({
  body: z.unknown(),
  query: z.string().nullable(),
  auth: z.string().nullable(),
  key: z.string().nullable(),
  requestId: z.string().nullable(),
});

describe.each([
  ['an undici dispatcher', () => ({ dispatcher })],
  ["Node's fetch", () => ({})],
])('createServiceTransport over %s', (_, extra: () => Partial<ServiceTransportOptions>) => {
  const transport = (timeoutMs = 5_000) =>
    createServiceTransport({ service: 'svc', baseUrl: server.url, token: 'tok', timeoutMs, ...extra() });

  it('sends the body, query and headers, parses the answer and shows its headers', async () => {
    let etag: string | null = null;
    const answer = await transport().call('POST', '/echo', Echo, {
      body: { a: 1 },
      query: { page: 2, empty: '' },
      idempotencyKey: 'k-1',
      requestId: 'r-1',
      onHeaders: (headers) => void (etag = headers.get('ETag')),
    });
    expect(answer).toEqual({ body: { a: 1 }, query: '2', auth: 'Bearer tok', key: 'k-1', requestId: 'r-1' });
    expect(etag).toBe('"v7"');
  });

  it('maps refusals, overload, failures and 304 to their errors', async () => {
    const call = (path: string) =>
      transport()
        .call('GET', path, z.unknown())
        .catch((error: unknown) => error);
    expect(await call('/taken')).toMatchObject({ constructor: ServiceRejectedError, status: 409, code: 'EMAIL_TAKEN' });
    expect(await call('/busy')).toMatchObject({ constructor: ServiceOverloadedError, retryAfter: '3' });
    expect(await call('/broken')).toMatchObject({ constructor: ServiceUnavailableError, status: 500 });
    expect(await call('/same')).toMatchObject({ constructor: NotModifiedError, etag: '"v7"' });
  });

  it('gives up on a service that does not answer within the timeout, and on one that is not there', async () => {
    await expect(transport(50).call('GET', '/hang', z.unknown())).rejects.toBeInstanceOf(ServiceUnavailableError);
    const nowhere = createServiceTransport({ service: 'svc', baseUrl: 'http://127.0.0.1:9', token: 't', ...extra() });
    await expect(nowhere.call('GET', '/x', z.unknown())).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('sends consecutive calls over kept-alive connections, not a new one per call', async () => {
    const client = transport();
    await client.call('POST', '/echo', Echo, { body: 0 });
    sockets.clear();
    for (let i = 1; i <= 10; i++) await client.call('POST', '/echo', Echo, { body: i });
    // A socket is free again a moment after its answer is read, so on a busy machine a call may take another
    // one; without keep-alive every call opens its own (10).
    expect(sockets.size).toBeLessThanOrEqual(5);
  });
});
