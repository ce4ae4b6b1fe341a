import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  port: number;
  url: string;
  close: () => Promise<void>;
}

export interface FetchApp {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-server passes its bindings (incoming/outgoing) here
  fetch: (request: Request, bindings?: any) => Response | Promise<Response>;
}

/**
 * An answer given before the request body arrived in full (413, 401, 404 on a POST…) closes the
 * connection: the unread rest of the body would otherwise be taken for the client's next request.
 */
async function answer(app: FetchApp, request: Request, bindings: HttpBindings): Promise<Response> {
  const response = await app.fetch(request, bindings);
  if (!bindings.incoming.complete) bindings.outgoing.shouldKeepAlive = false;
  return response;
}

/** Starts a Hono app on Node and resolves once it listens. Port 0 picks a free port. */
export function startHttpServer(app: FetchApp, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve(
      { fetch: (request, bindings) => answer(app, request, bindings as HttpBindings), port, hostname },
      (info: AddressInfo) => {
        const close = () =>
          new Promise<void>((done) => {
            server?.close(() => done());
            // Idle keep-alive sockets would otherwise hold close() open.
            if ('closeIdleConnections' in server!)
              (server as unknown as { closeIdleConnections: () => void }).closeIdleConnections();
          });
        resolve({ port: info.port, url: `http://${hostname}:${info.port}`, close });
      },
    );
    server.once('error', reject);
  });
}
