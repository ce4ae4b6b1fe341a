import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config.js';
import { NotificationsConfig } from './config.js';

describe('NotificationsConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(NotificationsConfig, { SERVICE_TOKEN: 'x'.repeat(16) })).toEqual({
      NOTIFICATIONS_PORT: 3005,
      NOTIFICATIONS_HOST: '127.0.0.1',
      NOTIFICATIONS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_notifications',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      ORDER_EVENTS_EXCHANGE: 'orders.events',
      NOTIFICATIONS_QUEUE: 'notifications.order-events',
      NOTIFICATIONS_PREFETCH: 20,
      SERVICE_TOKEN: 'x'.repeat(16),
      LOG_LEVEL: 'info',
    });
  });

  it('lists every problem at once', () => {
    const env = { AMQP_URL: 'http://nope', NOTIFICATIONS_PREFETCH: '0' };
    expect(() => parseConfig(NotificationsConfig, env)).toThrow(ConfigError);
    expect(() => parseConfig(NotificationsConfig, env)).toThrow(/AMQP_URL[\s\S]*PREFETCH[\s\S]*SERVICE_TOKEN/);
  });
});
