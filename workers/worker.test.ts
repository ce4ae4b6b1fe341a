import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { WorkerConfig } from './config.js';
import { createHealthApp } from './health.js';

describe('worker config', () => {
  it('has a default for everything but the service token', () => {
    expect(parseConfig(WorkerConfig, { SERVICE_TOKEN: 'x'.repeat(16) })).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'orders',
      USERS_URL: 'http://127.0.0.1:3001',
      PRODUCTS_URL: 'http://127.0.0.1:3002',
      ORDERS_URL: 'http://127.0.0.1:3003',
      UPSTREAM_TIMEOUT_MS: 5000,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 100,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 16,
      TEMPORAL_GRPC_COMPRESSION: 'none',
      WORKER_PORT: 3004,
      LOG_LEVEL: 'info',
    });
  });

  it('lists every problem at once', () => {
    const error = (() => {
      try {
        parseConfig(WorkerConfig, { SERVICE_TOKEN: 'short', WORKER_PORT: 'x', USERS_URL: 'nope' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['SERVICE_TOKEN', 'WORKER_PORT', 'USERS_URL']),
    );
  });
});

describe('worker versioning config', () => {
  const base = { SERVICE_TOKEN: 'x'.repeat(16) };
  it('is off by default, and on needs a build id or a bundle to hash', () => {
    expect(parseConfig(WorkerConfig, base)).toMatchObject({
      TEMPORAL_WORKER_VERSIONING: false,
      TEMPORAL_DEPLOYMENT_NAME: 'durable-shop',
      TEMPORAL_SET_CURRENT_VERSION: true,
    });
    expect(() => parseConfig(WorkerConfig, { ...base, TEMPORAL_WORKER_VERSIONING: 'true' })).toThrow(
      /TEMPORAL_BUILD_ID: TEMPORAL_WORKER_VERSIONING needs a build id/,
    );
    const on = { ...base, TEMPORAL_WORKER_VERSIONING: 'true' };
    expect(parseConfig(WorkerConfig, { ...on, WORKFLOW_BUNDLE_PATH: '/app/dist/workflow-bundle.js' })).toBeTruthy();
    expect(parseConfig(WorkerConfig, { ...on, TEMPORAL_BUILD_ID: 'b-1' }).TEMPORAL_BUILD_ID).toBe('b-1');
  });
});

describe('worker health app', () => {
  const app = (state: string | undefined, temporalUp: boolean) =>
    createHealthApp({
      worker: () => (state === undefined ? undefined : { getState: () => state as never }),
      logger: createLogger('worker-test', 'silent'),
      metrics: createMetrics('worker-test', false),
      pingTemporal: async () => {
        if (!temporalUp) throw new Error('down');
      },
      serviceToken: 'worker-test-token',
    });

  it('is live while the process runs, ready only while the worker polls and Temporal answers', async () => {
    expect((await app('RUNNING', true).request('/healthz')).status).toBe(200);
    expect((await app('RUNNING', true).request('/readyz')).status).toBe(200);
    const draining = await app('DRAINING', true).request('/readyz');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ down: ['worker'] });
    const notReady = await app('RUNNING', false).request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ checks: { temporal: 'down' }, down: ['temporal'] });
    // Still waiting for Temporal: alive (no restart wanted), not ready.
    expect((await app(undefined, false).request('/healthz')).status).toBe(200);
    expect(await (await app(undefined, false).request('/readyz')).json()).toMatchObject({
      down: ['temporal', 'worker'],
    });
  });

  it('exposes the worker state in Prometheus metrics, to the service credential only', async () => {
    expect((await app('RUNNING', true).request('/metrics')).status).toBe(401);
    const headers = { authorization: 'Bearer worker-test-token' };
    const body = await (await app('RUNNING', true).request('/metrics', { headers })).text();
    expect(body).toContain('temporal_worker_state{state="RUNNING",service="worker-test"} 1');
    expect(body).toContain('temporal_worker_state{state="DRAINING",service="worker-test"} 0');
  });
});
