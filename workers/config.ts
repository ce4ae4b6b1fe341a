import { z } from 'zod';
import { payloadKeyFields } from '../lib/payload-keys.js';
import { ORDER_EVENTS_EXCHANGE } from '../contracts/events.js';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { DEFAULT_PORTS, flag, listenOn, processFields, temporalFields, upstreamUrlFields } from '../lib/config.js';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const WorkerConfig = z
  .object({
    ...processFields,
    ...temporalFields,
    ...payloadKeyFields,
    ...upstreamUrlFields,
    ...listenOn('WORKER', DEFAULT_PORTS.worker),
    UPSTREAM_TIMEOUT_MS: positiveInt(5000),
    /** The broker the sagas' live progress is pushed through to the gateways (best effort). */
    AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
    ORDER_EVENTS_EXCHANGE: z.string().min(1).default(ORDER_EVENTS_EXCHANGE),
    WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt(100),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt(16),
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** gzip on the worker's gRPC calls costs CPU on both ends; worth it only on a slow or metered link. */
    TEMPORAL_GRPC_COMPRESSION: z.enum(['none', 'gzip']).default('none'),
    /** The Temporal SDK's Prometheus exporter (worker slots, schedule-to-start…) on this port; off when absent. */
    TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** How often the reconciler looks for PENDING orders whose saga closed without finishing them. */
    RECONCILE_INTERVAL_SECONDS: positiveInt(30),
    /** Orders younger than this are left alone by the reconciler. */
    RECONCILE_MIN_AGE_SECONDS: z.coerce.number().int().min(0).default(60),
    TEMPORAL_WORKER_VERSIONING: flag(false),
    TEMPORAL_DEPLOYMENT_NAME: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .default('durable-shop'),
    TEMPORAL_BUILD_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .optional(),
    TEMPORAL_SET_CURRENT_VERSION: flag(true),
  })
  .refine((c) => !c.TEMPORAL_WORKER_VERSIONING || c.TEMPORAL_BUILD_ID || c.WORKFLOW_BUNDLE_PATH, {
    path: ['TEMPORAL_BUILD_ID'],
    message: 'TEMPORAL_WORKER_VERSIONING needs a build id: TEMPORAL_BUILD_ID, or WORKFLOW_BUNDLE_PATH to hash',
  });
export type WorkerConfig = z.infer<typeof WorkerConfig>;
