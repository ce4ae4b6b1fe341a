import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Limiter } from './limiter.js';

export interface RedisLimiterOptions {
  client: Redis;
  /** Unique per limit (and per deployment or test run sharing the Redis). */
  keyPrefix: string;
  /** Points per window; 0 turns the limit off. */
  points: number;
  windowSeconds: number;
}

const OFF: Limiter = { take: async () => 0, refund: async () => undefined };

// One sorted set per key, scored by Redis's own clock (replicas' clocks may differ). Returns 0 when the
// point is granted, else the milliseconds until the oldest point that counts leaves the window.
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

type SlidingClient = Redis & {
  slidingWindowTake(key: string, windowMs: number, limit: number, member: string): Promise<number>;
};

/**
 * A sliding log per key in Redis, the same rule as the in-memory limiter: at most `points` in any
 * `windowSeconds`, with no burst at a window boundary. One Lua script prunes, counts and records, so any
 * number of gateways taking points in parallel never grant more. With the client's offline queue off, a
 * command while the connection is down rejects at once, and the caller's policy decides.
 */
export function createRedisLimiter({ client, keyPrefix, points, windowSeconds }: RedisLimiterOptions): Limiter {
  if (points <= 0) return OFF;
  client.defineCommand('slidingWindowTake', { numberOfKeys: 1, lua: TAKE });
  const sliding = client as SlidingClient;
  const windowMs = windowSeconds * 1000;
  // `log:` keeps these sorted sets apart from the fixed-window counters earlier versions kept under the prefix.
  const keyOf = (key: string) => `${keyPrefix}:log:${key}`;
  return {
    async take(key) {
      const waitMs = Number(await sliding.slidingWindowTake(keyOf(key), windowMs, points, randomUUID()));
      return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
    },
    async refund(key) {
      await client.zpopmax(keyOf(key));
    },
  };
}
