import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter } from './limiters.js';

export interface RedisLimiterOptions {
  client: Redis;
  /** Unique per limit (and per deployment or test run sharing the Redis). */
  keyPrefix: string;
  /** Points per window; 0 turns the limit off. */
  points: number;
  windowSeconds: number;
}

const OFF: Limiter = { take: async () => 0, refund: async () => undefined };

/**
 * A fixed-window counter per key in Redis: one Lua script increments and sets the expiry, so any number
 * of gateways taking points in parallel never grant more than `points` per window. A command while the
 * connection is down rejects at once (no queueing), and the caller's policy decides.
 */
export function createRedisLimiter({ client, keyPrefix, points, windowSeconds }: RedisLimiterOptions): Limiter {
  if (points <= 0) return OFF;
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix,
    points,
    duration: windowSeconds,
    rejectIfRedisNotReady: true,
  });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}
