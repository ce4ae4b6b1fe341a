import type { Redis } from 'ioredis';
import { ErrorCode } from '../../contracts/problem.js';
import type { Logger } from '../../lib/logger.js';
import { ProblemError } from '../../lib/problem.js';
import type { GatewayConfig } from '../config.js';
import type { Clock, Limiter } from './limiter.js';
import { memorySlidingWindow } from './sliding-window.js';
import { createRedisLimiter } from './redis-limiter.js';

export type LimitsConfig = Pick<
  GatewayConfig,
  'RATE_LIMIT_IP_PER_MIN' | 'RATE_LIMIT_ORDERS_PER_MIN' | 'RATE_LIMIT_LOGIN_FAILURES' | 'RATE_LIMIT_MAX_KEYS'
>;

/** Where limits are kept when they are shared by every gateway replica. */
export interface SharedLimitStore {
  client: Redis;
  keyPrefix: string;
}

export interface GatewayLimits {
  perIp: Limiter;
  orders: Limiter;
  loginAttempts: Limiter;
}

const MINUTE = 60;
const LOGIN_WINDOW_SECONDS = 15 * MINUTE;
const LOGINS_PAUSED_RETRY_AFTER = 5;

/**
 * The gateway's three limits: in Redis when a store is given (one budget for all replicas), else in
 * this process. Store down: IP and order limits let requests through (an outage of the limiter must not
 * become an outage of the shop), login attempts are refused with 503 (letting them through would hand a
 * password guesser unlimited attempts). One log line when the store goes down and one when it is back.
 */
export function createGatewayLimits(options: {
  config: LimitsConfig;
  clock: Clock;
  logger: Logger;
  store?: SharedLimitStore;
}): GatewayLimits {
  const { config, clock, store } = options;
  const make = (name: string, points: number, windowSeconds: number): Limiter =>
    store
      ? createRedisLimiter({ client: store.client, keyPrefix: `${store.keyPrefix}${name}`, points, windowSeconds })
      : memorySlidingWindow(points, windowSeconds * 1000, clock, config.RATE_LIMIT_MAX_KEYS);
  const health = storeHealth(options.logger);
  return {
    perIp: failOpen(make('ip', config.RATE_LIMIT_IP_PER_MIN, MINUTE), health),
    orders: failOpen(make('orders', config.RATE_LIMIT_ORDERS_PER_MIN, MINUTE), health),
    loginAttempts: failClosed(make('login', config.RATE_LIMIT_LOGIN_FAILURES, LOGIN_WINDOW_SECONDS), health),
  };
}

type StoreHealth = ReturnType<typeof storeHealth>;

function storeHealth(logger: Logger) {
  let down = false;
  return {
    ok() {
      if (!down) return;
      down = false;
      logger.info('rate-limit store reachable again: limits are shared and enforced');
    },
    failed(error: unknown) {
      if (down) return;
      down = true;
      logger.error(
        { err: (error as Error).message },
        'rate-limit store unreachable: IP and order limits are off, logins refused (503) until it is back',
      );
    },
  };
}

function failOpen(limiter: Limiter, health: StoreHealth): Limiter {
  return {
    take: (key) =>
      limiter.take(key).then(
        (wait) => (health.ok(), wait),
        (error: unknown) => (health.failed(error), 0),
      ),
    refund: (key) => limiter.refund(key).catch((error: unknown) => health.failed(error)),
  };
}

function failClosed(limiter: Limiter, health: StoreHealth): Limiter {
  return {
    take: (key) =>
      limiter.take(key).then(
        (wait) => (health.ok(), wait),
        (error: unknown) => {
          health.failed(error);
          throw new ProblemError(
            503,
            ErrorCode.SERVICE_UNAVAILABLE,
            'Logins are paused while the attempt counter cannot be reached; try again shortly',
            {},
            { 'Retry-After': String(LOGINS_PAUSED_RETRY_AFTER) },
          );
        },
      ),
    refund: (key) => limiter.refund(key).catch((error: unknown) => health.failed(error)),
  };
}
