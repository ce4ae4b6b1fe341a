import { DEV_PAYLOAD_KEYS } from '../lib/payload-keys.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../lib/config.js';
import { GatewayConfigSchema } from './config.js';

describe('GatewayConfigSchema', () => {
  it('has the documented defaults', () => {
    expect(parseConfig(GatewayConfigSchema, { SERVICE_TOKEN: 's'.repeat(16) })).toEqual({
      API_PORT: 3000,
      API_HOST: '127.0.0.1',
      USERS_URL: 'http://127.0.0.1:3001',
      PRODUCTS_URL: 'http://127.0.0.1:3002',
      ORDERS_URL: 'http://127.0.0.1:3003',
      NOTIFICATIONS_URL: 'http://127.0.0.1:3005',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      ORDER_EVENTS_EXCHANGE: 'orders.events',
      SSE_KEEPALIVE_MS: 10_000,
      SSE_REFRESH_MS: 10_000,
      ORDER_STATE_CACHE_MS: 1000,
      SSE_MAX_STREAMS_PER_CUSTOMER: 5,
      SSE_MAX_STREAMS: 1000,
      SERVICE_TOKEN: 's'.repeat(16),
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'orders',
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      PAYLOAD_KEYS: DEV_PAYLOAD_KEYS,
      CODEC_ALLOW_ANONYMOUS: false,
      BODY_LIMIT_BYTES: 1_048_576,
      RATE_LIMIT_LOGIN_FAILURES: 10,
      RATE_LIMIT_IP_PER_MIN: 1200,
      RATE_LIMIT_ORDERS_PER_MIN: 60,
      RATE_LIMIT_MAX_KEYS: 50_000,
      REDIS_KEY_PREFIX: 'durable-shop:limits:',
      CORS_ORIGINS: [],
      JWT_ISSUER: 'durable-shop-users',
      JWT_AUDIENCE: 'durable-shop-api',
      ORDER_CANCEL_WINDOW_MS: 2000,
      TRUST_PROXY: false,
      UPSTREAM_TIMEOUT_MS: 5000,
      LOG_LEVEL: 'info',
    });
  });

  it('parses lists, zeros and flags', () => {
    const config = parseConfig(GatewayConfigSchema, {
      SERVICE_TOKEN: 's'.repeat(16),
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      RATE_LIMIT_IP_PER_MIN: '0',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      CORS_ORIGINS: ['https://a.example', 'https://b.example'],
      RATE_LIMIT_IP_PER_MIN: 0,
      TRUST_PROXY: true,
    });
  });

  it('lists every problem: short token, negative limit, bad URL', () => {
    try {
      parseConfig(GatewayConfigSchema, { SERVICE_TOKEN: 'short', RATE_LIMIT_ORDERS_PER_MIN: '-1', USERS_URL: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const key of ['SERVICE_TOKEN', 'RATE_LIMIT_ORDERS_PER_MIN', 'USERS_URL']) expect(text).toContain(key);
    }
  });
});
