import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from './logger.js';

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface AmqpConnectionOptions {
  url: string;
  /** Shown by `rabbitmqctl list_connections client_properties` and in logs. */
  name: string;
  logger: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** One AMQP connection that reconnects by itself (exponential backoff with jitter) whenever it is lost. */
export interface AmqpConnection {
  /** Runs `open` with the live connection now (if connected) and after every reconnect. */
  onConnect(open: (model: ChannelModel) => void): void;
  /** The live connection, if any. */
  current(): ChannelModel | undefined;
  /** Resolves once connected (waits through retries). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export async function connectAmqp(options: AmqpConnectionOptions): Promise<AmqpConnection> {
  const { logger, name } = options;
  const url = new URL(options.url);
  // Heartbeats find a dead TCP peer that never sent a close frame.
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '10');
  const recovering = await connect(url.toString(), {
    clientProperties: { connection_name: name },
    recovery: {
      waitForConnect: false,
      initialDelay: options.initialDelayMs ?? 100,
      // Capped low: once the broker is back, the next attempt is at most ~2 s away (events flow again).
      maxDelay: options.maxDelayMs ?? 2_000,
      maxRetries: Infinity,
    },
  });
  let live: ChannelModel | undefined;
  const listeners: ((model: ChannelModel) => void)[] = [];
  recovering.on('connect', (model: ChannelModel) => {
    live = model;
    logger.info({ amqp: name }, 'amqp connected');
    for (const listener of listeners) listener(model);
  });
  recovering.on('disconnect', (error: Error) => {
    live = undefined;
    logger.warn({ amqp: name, err: error.message }, 'amqp connection lost; reconnecting');
  });
  recovering.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
    if (attempt === 1 || attempt % 10 === 0) logger.warn({ amqp: name, attempt, delay }, 'amqp reconnect scheduled');
  });
  recovering.on('error', (error: Error) => logger.warn({ amqp: name, err: error.message }, 'amqp connection error'));
  return {
    onConnect(open) {
      listeners.push(open);
      if (live) open(live);
    },
    current: () => live,
    ready: async () => void (await recovering.waitForConnect()),
    close: () => recovering.close(),
  };
}

export interface KeptChannel<C extends Channel> {
  /** The open channel, if any: undefined while reconnecting. */
  current(): C | undefined;
  close(): Promise<void>;
}

export interface KeepChannelOptions<C extends Channel> {
  name: string;
  logger: Logger;
  confirm: C extends ConfirmChannel ? true : false;
  /** Declares topology, sets prefetch, starts consuming… on every new channel. */
  setup: (channel: C) => Promise<void>;
  /** Called each time a channel is open and set up (first open, after every reconnect). */
  onOpen?: () => void;
  retryDelayMs?: number;
}

/**
 * A channel that is reopened (and set up again) after every reconnect, and after a channel-level error
 * while the connection stays up (a broker refusal closes only the channel).
 */
export function keepChannel<C extends Channel>(
  connection: AmqpConnection,
  options: KeepChannelOptions<C>,
): KeptChannel<C> {
  const { logger, name } = options;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  let channel: C | undefined;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;

  const reopenLater = (model: ChannelModel) => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (connection.current() === model) void open(model);
    }, retryDelayMs);
  };

  const open = async (model: ChannelModel) => {
    let opened: C | undefined;
    try {
      opened = (options.confirm ? await model.createConfirmChannel() : await model.createChannel()) as C;
      opened.on('error', (error: Error) => logger.warn({ amqp: name, err: error.message }, 'amqp channel error'));
      const self = opened;
      opened.on('close', () => {
        if (channel === self) channel = undefined;
        reopenLater(model);
      });
      await options.setup(opened);
      if (closing) return void (await opened.close().catch(() => {}));
      channel = opened;
      options.onOpen?.();
    } catch (error) {
      logger.warn({ amqp: name, err: (error as Error).message }, 'amqp channel setup failed; retrying');
      await opened?.close().catch(() => {});
      reopenLater(model);
    }
  };

  connection.onConnect((model) => void open(model));
  return {
    current: () => channel,
    close: async () => {
      closing = true;
      clearTimeout(retry);
      const open = channel;
      channel = undefined;
      await open?.close().catch(() => {});
    },
  };
}
