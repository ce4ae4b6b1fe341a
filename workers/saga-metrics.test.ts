import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BusinessFailure } from '../contracts/order-saga.js';
import { createSagaMetrics } from './saga-metrics.js';

const now = Date.parse('2026-01-01T00:00:10.000Z');

function environment(activityType: string, attempt = 1) {
  const registry = new Registry();
  const interceptors = [createSagaMetrics(registry, () => now)];
  const env = new MockActivityEnvironment({ activityType, attempt }, { interceptors });
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
    const wanted = Object.entries(labels);
    return metric.values
      .filter((v) => wanted.every(([k, want]) => v.labels[k] === want))
      .reduce((sum, v) => sum + v.value, 0);
  };
  return { env, value, registry };
}

describe('saga metrics interceptor', () => {
  it('counts a completed step and its duration', async () => {
    const { env, value, registry } = environment('reserveInventory');
    await env.run(async () => 'ok');
    expect(await value('saga_step_started_total', { step: 'reserveInventory' })).toBe(1);
    expect(await value('saga_step_completed_total', { step: 'reserveInventory' })).toBe(1);
    expect(await value('saga_step_retries_total')).toBe(0);
    const histogram = await registry.getSingleMetricAsString('saga_step_duration_seconds');
    expect(histogram).toMatch(/saga_step_duration_seconds_count\{step="reserveInventory",outcome="completed"\} 1/);
  });

  it('tells business refusals from retryable failures, and counts retries', async () => {
    const { env, value } = environment('authorizePayment', 3);
    const declined = ApplicationFailure.create({ type: BusinessFailure.PAYMENT_DECLINED, nonRetryable: true });
    await expect(env.run(async () => Promise.reject(declined))).rejects.toThrow();
    await expect(env.run(async () => Promise.reject(new Error('connection reset')))).rejects.toThrow();
    expect(await value('saga_step_failed_total', { step: 'authorizePayment', kind: 'business' })).toBe(1);
    expect(await value('saga_step_failed_total', { step: 'authorizePayment', kind: 'retryable' })).toBe(1);
    expect(await value('saga_step_retries_total', { step: 'authorizePayment' })).toBe(2);
    expect(await value('saga_step_completed_total')).toBe(0);
  });

  it('counts compensations by the step they undo, skipped when there was nothing to void', async () => {
    const release = environment('releaseInventory');
    await release.env.run(async () => undefined);
    expect(await release.value('saga_compensations_total', { step: 'reserveInventory', result: 'compensated' })).toBe(
      1,
    );
    const voiding = environment('voidPayment');
    await voiding.env.run(async () => ({ voided: false }));
    expect(await voiding.value('saga_compensations_total', { step: 'authorizePayment', result: 'skipped' })).toBe(1);
  });

  it('records the order outcome and the saga duration from its first step', async () => {
    const { env, value, registry } = environment('finalizeOrder');
    const first = new Date(now - 2000).toISOString();
    const steps = [{ name: 'getCustomer', status: 'started', at: first }];
    await env.run(async (_input: unknown) => undefined, {
      orderId: 'o1',
      to: 'FAILED',
      failureReason: 'OUT_OF_STOCK',
      steps,
    });
    expect(await value('orders_outcomes_total', { status: 'FAILED', reason: 'OUT_OF_STOCK' })).toBe(1);
    const histogram = await registry.getSingleMetricAsString('saga_duration_seconds');
    expect(histogram).toMatch(/saga_duration_seconds_bucket\{le="1",status="FAILED"\} 0/);
    expect(histogram).toMatch(/saga_duration_seconds_bucket\{le="2.5",status="FAILED"\} 1/);
  });
});
