import type { Hono } from 'hono';
import { Gauge } from 'prom-client';
import type { Worker } from '@temporalio/worker';
import { createHttpApp, type HttpAppEnv } from '../lib/process-shell.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';

const states = ['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'] as const;

export interface HealthDeps {
  /** The worker once it exists: it is created only after Temporal answers. */
  worker: () => Pick<Worker, 'getState'> | undefined;
  logger: Logger;
  metrics: Metrics;
  /** Throws when Temporal is unreachable (or not connected yet). */
  pingTemporal: () => Promise<unknown>;
  /** The shared internal credential the scraper presents for /metrics. */
  serviceToken: string;
}

/** The worker's HTTP face (the process shell): live while the process runs, ready once it polls and Temporal answers. */
export function createHealthApp({ worker, logger, metrics, pingTemporal, serviceToken }: HealthDeps): Hono<HttpAppEnv> {
  new Gauge({
    name: 'temporal_worker_state',
    help: '1 for the current state of the Temporal worker',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const current = worker()?.getState();
      for (const state of states) this.set({ state }, state === current ? 1 : 0);
    },
  });
  return createHttpApp({
    logger,
    metrics,
    serviceToken,
    requestLogLevel: 'debug',
    readiness: {
      temporal: pingTemporal,
      worker: async () => {
        const state = worker()?.getState() ?? 'NOT STARTED';
        if (state !== 'RUNNING') throw new Error(`worker is ${state}`);
      },
    },
  });
}
