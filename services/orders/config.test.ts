import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config.js';
import { OrdersConfig } from './config.js';

describe('OrdersConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(OrdersConfig, { SERVICE_TOKEN: 'x'.repeat(16) })).toEqual({
      ORDERS_PORT: 3003,
      ORDERS_HOST: '127.0.0.1',
      ORDERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_orders',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      ORDER_EVENTS_EXCHANGE: 'orders.events',
      NOTIFICATIONS_QUEUE: 'notifications.order-events',
      OUTBOX_RETENTION_HOURS: 168,
      PAYMENT_CLAIM_TIMEOUT_SECONDS: 60,
      MAX_HELD_UNITS_PER_CUSTOMER: 1000,
      SERVICE_TOKEN: 'x'.repeat(16),
      LOG_LEVEL: 'info',
    });
  });

  it('refuses an outbox retention that is not a positive number of hours', () => {
    const base = { SERVICE_TOKEN: 'x'.repeat(16) };
    expect(parseConfig(OrdersConfig, { ...base, OUTBOX_RETENTION_HOURS: '0.5' }).OUTBOX_RETENTION_HOURS).toBe(0.5);
    expect(() => parseConfig(OrdersConfig, { ...base, OUTBOX_RETENTION_HOURS: '0' })).toThrow(/OUTBOX_RETENTION_HOURS/);
    expect(() => parseConfig(OrdersConfig, { ...base, OUTBOX_RETENTION_HOURS: 'week' })).toThrow(
      /OUTBOX_RETENTION_HOURS/,
    );
  });

  it('requires a service token of at least 16 characters', () => {
    expect(() => parseConfig(OrdersConfig, {})).toThrow(ConfigError);
    expect(() => parseConfig(OrdersConfig, { SERVICE_TOKEN: 'short' })).toThrow(/SERVICE_TOKEN/);
  });
});
