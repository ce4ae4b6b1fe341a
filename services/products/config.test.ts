import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config.js';
import { ProductsConfig } from './config.js';

describe('ProductsConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(ProductsConfig, { SERVICE_TOKEN: 'x'.repeat(16) })).toEqual({
      PRODUCTS_PORT: 3002,
      PRODUCTS_HOST: '127.0.0.1',
      MONGO_URL: 'mongodb://127.0.0.1:27017/',
      PRODUCTS_DB: 'shop_products',
      SERVICE_TOKEN: 'x'.repeat(16),
      SEED_DEMO_CATALOG: false,
      LOG_LEVEL: 'info',
    });
  });

  it('lists every problem: short token, bad URL, bad port', () => {
    try {
      parseConfig(ProductsConfig, { SERVICE_TOKEN: 'short', MONGO_URL: 'http://x', PRODUCTS_PORT: 'abc' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'MONGO_URL',
        'PRODUCTS_PORT',
        'SERVICE_TOKEN',
      ]);
    }
  });
});
