import { serve, type ServerType } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';

export interface RunningServer {
  port: number;
  url: string;
  close: () => Promise<void>;
}

/** Starts a Hono app on Node and resolves once it listens. Port 0 picks a free port. */
export interface FetchApp {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-server passes its bindings (incoming/outgoing) here
  fetch: (request: Request, bindings?: any) => Response | Promise<Response>;
}

interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/**
 * An answer given before the request body arrived in full (413, 401, 404 on a POST…) closes the
 * connection: the unread rest of the body would otherwise be taken for the client's next request.
 */
async function answer(app: FetchApp, request: Request, bindings: NodeBindings): Promise<Response> {
  const response = await app.fetch(request, bindings);
  if (!bindings.incoming.complete) bindings.outgoing.shouldKeepAlive = false;
  return response;
}

export function startHttpServer(app: FetchApp, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve(
      { fetch: (request: Request, bindings: NodeBindings) => answer(app, request, bindings), port, hostname },
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

export type ShutdownStep = () => unknown;

/**
 * Runs the steps in order on SIGTERM/SIGINT, then exits. A hard deadline guarantees the
 * process never outlives a stop request, even when a step hangs.
 */
export function onShutdown(logger: Logger, steps: ShutdownStep[], deadlineMs = 10_000): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), deadlineMs);
    deadline.unref();
    logger.info({ signal, deadlineMs }, 'shutting down');
    void (async () => {
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          logger.error({ err: error }, 'shutdown step failed');
        }
      }
      logger.info('stopped');
      process.exit(0);
    })();
  };
  // `on`, not `once`: a second signal (npm and tsx relay Ctrl-C too) must not kill a shutdown under way.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
