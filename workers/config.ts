import { z } from 'zod';
import { logLevel, port } from '../lib/config.js';
import { TASK_QUEUE_DEFAULT } from '../contracts/order-saga.js';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const WorkerConfig = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE_DEFAULT),
  USERS_URL: z.url().default('http://127.0.0.1:3001'),
  PRODUCTS_URL: z.url().default('http://127.0.0.1:3002'),
  ORDERS_URL: z.url().default('http://127.0.0.1:3003'),
  SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  HTTP_TIMEOUT_MS: positiveInt(5000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt(40),
  WORKER_PORT: port(3004),
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  LOG_LEVEL: logLevel,
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;
