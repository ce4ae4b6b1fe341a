import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis every machine of this project runs (CI too). */
export const testRedisUrl = 'redis://127.0.0.1:6379/0';

/** Keys of one test only, so parallel runs and files never share a budget. */
export const testKeyPrefix = (label: string) =>
  `test:${label}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:`;

/** A client configured as the gateway's (api/main.ts): no offline queue, one retry, short timeout. */
export function limitStoreClient(url = testRedisUrl): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  client.on('error', () => undefined); // outages are what some tests are about
  return client;
}

/** Resolves once connected; connection errors meanwhile are retried by ioredis, not thrown. */
export async function waitUntilReady(client: Redis): Promise<void> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}

async function freeLocalPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A throwaway redis-server of our own, to stop and start again (an outage the shared one must not have). */
export async function startOwnRedis() {
  const port = await freeLocalPort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
    probe.on('error', () => undefined);
    await waitUntilReady(probe);
    probe.disconnect();
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}/0`, start, stop };
}
