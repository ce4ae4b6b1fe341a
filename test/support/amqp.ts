import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type Channel } from 'amqplib';
import { DEFAULT_AMQP_URL } from '../../lib/amqp.js';
import { createLogger } from '../../lib/logger.js';

export const testAmqpUrl = process.env.AMQP_URL ?? DEFAULT_AMQP_URL;
export const silentLogger = createLogger('test', 'silent');

/** Exchange and queue names no other test (or other agent's run) uses; `cleanup` deletes them. */
export function testAmqpNames(runId: string, label: string) {
  const prefix = `test.${runId}.${label}.${Math.random().toString(36).slice(2, 8)}`;
  return {
    exchange: `${prefix}.events`,
    queue: `${prefix}.queue`,
    deadLetterQueue: `${prefix}.queue.dead-letter`,
  };
}

/** A plain (non-recovering) channel for test assertions: peek at queues, publish raw messages, clean up. */
export async function rawChannel() {
  const connection = await connect(testAmqpUrl);
  // A broker-side close (close_all_connections) must not crash the test process.
  connection.on('error', () => {});
  const channel: Channel = await connection.createChannel();
  channel.on('error', () => {});
  return {
    channel,
    /** Counts ready messages of a queue. */
    count: async (queue: string) => (await channel.checkQueue(queue)).messageCount,
    cleanup: async (names: { exchange?: string; queues: string[] }) => {
      for (const queue of names.queues) await channel.deleteQueue(queue).catch(() => {});
      if (names.exchange) await channel.deleteExchange(names.exchange).catch(() => {});
    },
    close: () => connection.close().catch(() => {}),
  };
}

/** Closes every connection of the broker, as a broker restart or a network cut would (other runs' too: they reconnect). */
export async function closeAllBrokerConnections(): Promise<void> {
  await promisify(execFile)('rabbitmqctl', ['close_all_connections', 'test: broker connection drop'], {
    timeout: 60_000,
  });
}

const rabbitmqctl = (...args: string[]) =>
  promisify(execFile)('rabbitmqctl', ['--quiet', ...args], { timeout: 60_000 }).then(() => undefined);

export interface TestVhost {
  name: string;
  /** The broker URL of this vhost (guest). */
  url: string;
  /** An outage as this vhost's clients see it: connections dropped, new ones refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Drops every connection of this vhost once (they may reconnect at once). */
  dropConnections(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A RabbitMQ vhost of one test, for broker outages that touch nobody else: `down()` revokes guest's
 * access and closes this vhost's connections only. Removed by `remove()` or, failing that, on exit.
 */
export async function createTestVhost(label: string): Promise<TestVhost> {
  const name = `test.${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const grant = () => rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  await rabbitmqctl('add_vhost', name);
  const removeNow = () => {
    try {
      execFileSync('rabbitmqctl', ['--quiet', 'delete_vhost', name], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // already gone
    }
  };
  process.once('exit', removeNow);
  await grant();
  const dropConnections = () => rabbitmqctl('close_all_connections', '--vhost', name, 'test: connection drop');
  const base = new URL(testAmqpUrl);
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: base.toString(),
    down: async () => {
      await rabbitmqctl('clear_permissions', '-p', name, 'guest');
      await dropConnections();
    },
    up: grant,
    dropConnections,
    remove: async () => {
      process.removeListener('exit', removeNow);
      await rabbitmqctl('delete_vhost', name).catch(() => undefined);
    },
  };
}
