import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, parseConfig, type ConfigError } from '../lib/config.js';
import { LauncherConfig } from './start-config.js';

describe('LauncherConfig', () => {
  it('defaults every port to the one the process itself defaults to, and treats empty as unset', () => {
    const config = parseConfig(LauncherConfig, { TEMPORAL_ADDRESS: '', MONGO_URL: '' });
    expect(config).toMatchObject({
      API_PORT: DEFAULT_PORTS.api,
      USERS_PORT: DEFAULT_PORTS.users,
      PRODUCTS_PORT: DEFAULT_PORTS.products,
      ORDERS_PORT: DEFAULT_PORTS.orders,
      WORKER_PORT: DEFAULT_PORTS.worker,
      TEMPORAL_PORT: 7233,
      TEMPORAL_ADDRESS: undefined,
      MONGO_URL: undefined,
      DATA_DIR: '.data',
      SEED_DEMO_CATALOG: 'true',
    });
  });

  it('lists every problem at once', () => {
    try {
      parseConfig(LauncherConfig, { API_PORT: 'abc', DATABASE_URL: 'mysql://x', SHOP_DB_PREFIX: 'a-b' });
      expect.unreachable();
    } catch (error) {
      const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['API_PORT', 'DATABASE_URL', 'SHOP_DB_PREFIX']));
    }
  });
});
