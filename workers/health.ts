import { Hono } from 'hono';
import { Gauge } from 'prom-client';
import type { Worker } from '@temporalio/worker';
import type { Metrics } from '../lib/metrics.js';

const states = ['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'] as const;

export interface HealthDeps {
  worker: Pick<Worker, 'getState'>;
  metrics: Metrics;
  /** Throws when Temporal is unreachable. */
  pingTemporal: () => Promise<unknown>;
}

/** The worker's tiny HTTP face: liveness (worker running), readiness (plus Temporal reachable), metrics. */
export function createHealthApp({ worker, metrics, pingTemporal }: HealthDeps): Hono {
  const app = new Hono();
  const stateGauge = new Gauge({
    name: 'temporal_worker_state',
    help: '1 for the current state of the Temporal worker',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const current = worker.getState();
      for (const state of states) this.set({ state }, state === current ? 1 : 0);
    },
  });
  void stateGauge;
  app.use(metrics.middleware);
  app.get('/healthz', (c) => {
    const state = worker.getState();
    return c.json({ status: state === 'RUNNING' ? 'ok' : 'not running', state }, state === 'RUNNING' ? 200 : 503);
  });
  app.get('/readyz', async (c) => {
    const state = worker.getState();
    const temporal = await pingTemporal().then(
      () => 'up',
      () => 'down',
    );
    const ready = state === 'RUNNING' && temporal === 'up';
    return c.json({ status: ready ? 'ready' : 'not ready', state, checks: { temporal } }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  return app;
}
