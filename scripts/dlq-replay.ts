// `npm run dlq:replay`: moves the notifications dead letters back to their work queue (after a fix).
import { connect } from 'amqplib';
import { z } from 'zod';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { deadLetterQueueOf } from '../lib/amqp-topology.js';
import { loadConfigOrExit } from '../lib/config.js';
import { replayDeadLetters } from '../lib/dead-letters.js';

const ReplayConfig = z.object({
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
  /** The work queue; its dead letters are in `<queue>.dead-letter`. */
  NOTIFICATIONS_QUEUE: z.string().min(1).default('notifications.order-events'),
  /** Replay at most this many (default: all that were waiting when the replay began). */
  DLQ_REPLAY_LIMIT: z.coerce.number().int().min(1).optional(),
});

const config = loadConfigOrExit(ReplayConfig, process.env);
const from = deadLetterQueueOf(config.NOTIFICATIONS_QUEUE);
const connection = await connect(config.AMQP_URL);
try {
  const channel = await connection.createConfirmChannel();
  const moved = await replayDeadLetters(channel, {
    from,
    to: config.NOTIFICATIONS_QUEUE,
    limit: config.DLQ_REPLAY_LIMIT,
  });
  const left = (await channel.checkQueue(from)).messageCount;
  process.stdout.write(
    `replayed ${moved} dead letter(s) from ${from} to ${config.NOTIFICATIONS_QUEUE}; ${left} left\n`,
  );
} catch (error) {
  process.stderr.write(`dlq:replay failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await connection.close().catch(() => undefined);
}
