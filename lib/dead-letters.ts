import type { Channel, ConfirmChannel } from 'amqplib';
import { Gauge, type Registry } from 'prom-client';
import type { AmqpConnection } from './amqp.js';

/**
 * `amqp_dead_letter_messages{queue}`: messages waiting in a dead-letter queue, read from the broker at
 * each scrape (poison rejections and messages over the delivery limit alike). No sample while disconnected.
 */
export function registerDeadLetterGauge(connection: AmqpConnection, registry: Registry, queue: string): void {
  new Gauge({
    name: 'amqp_dead_letter_messages',
    help: 'Messages waiting in a dead-letter queue (replay them with npm run dlq:replay)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const model = connection.current();
      if (!model) return;
      // A channel of its own: a failed check closes only this one, never the consumer's.
      const channel = await model.createChannel().catch(() => undefined);
      if (!channel) return;
      channel.on('error', () => undefined);
      try {
        this.set({ queue }, (await channel.checkQueue(queue)).messageCount);
      } catch {
        // queue missing or broker refusing: no sample
      } finally {
        await channel.close().catch(() => undefined);
      }
    },
  });
}

export interface ReplayOptions {
  /** The dead-letter queue. */
  from: string;
  /** The work queue its messages go back to (through the default exchange: no other queue gets a copy). */
  to: string;
  /** At most this many (default: what the queue held when the replay began). */
  limit?: number;
}

/**
 * Moves dead letters back to their work queue, one at a time: each is published with confirms and only
 * then acked on the dead-letter queue, so a crash half-way duplicates at most one message, never loses one.
 */
export async function replayDeadLetters(channel: ConfirmChannel | Channel, options: ReplayOptions): Promise<number> {
  const confirm = channel as ConfirmChannel;
  const waiting = (await channel.checkQueue(options.from)).messageCount;
  await channel.checkQueue(options.to);
  const limit = Math.min(options.limit ?? waiting, waiting);
  let moved = 0;
  while (moved < limit) {
    const message = await channel.get(options.from, { noAck: false });
    if (message === false) break;
    const p = message.properties;
    // x-death stays for the record; a fresh message starts with a fresh delivery count.
    const { 'x-delivery-count': _count, ...headers } = (p.headers ?? {}) as Record<string, unknown>;
    confirm.sendToQueue(options.to, message.content, {
      persistent: true,
      headers,
      contentType: p.contentType as string | undefined,
      contentEncoding: p.contentEncoding as string | undefined,
      correlationId: p.correlationId as string | undefined,
      messageId: p.messageId as string | undefined,
      timestamp: p.timestamp as number | undefined,
      type: p.type as string | undefined,
      appId: p.appId as string | undefined,
    });
    await confirm.waitForConfirms();
    channel.ack(message);
    moved += 1;
  }
  return moved;
}
