import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { compiledEntry, ensureCompiled } from './build-dist.js';
import { ensureWorkflowBundle } from './bundle-workflows.js';
import { spawnManaged, type ManagedProcess } from './processes.js';
import { waitUntilReady } from './readiness.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Node processes of the system, in start order; each entry point is its `main.ts`. */
export const APP_PROCESSES = [
  { name: 'users', entry: 'services/users/main.ts', readyPath: '/readyz', portVar: 'USERS_PORT' },
  { name: 'products', entry: 'services/products/main.ts', readyPath: '/readyz', portVar: 'PRODUCTS_PORT' },
  { name: 'orders', entry: 'services/orders/main.ts', readyPath: '/readyz', portVar: 'ORDERS_PORT' },
  {
    name: 'notifications',
    entry: 'services/notifications/main.ts',
    readyPath: '/readyz',
    portVar: 'NOTIFICATIONS_PORT',
  },
  { name: 'worker', entry: 'workers/main.ts', readyPath: '/readyz', portVar: 'WORKER_PORT' },
  { name: 'api', entry: 'api/main.ts', readyPath: '/readyz', portVar: 'API_PORT' },
] as const;
export type AppProcessName = (typeof APP_PROCESSES)[number]['name'];

/**
 * V8's young generation defaults to 16 MB semi-spaces per isolate. The worker has two isolates (main and
 * workflow thread) and an RSS budget: 4 MB keeps it smaller and cost less CPU under load than 1 MB. The
 * services and the gateway keep the default: with 1 MB a request cost them 20–60 % more CPU on a saturated
 * machine (docs/performance.md).
 */
const NODE_FLAGS: Partial<Record<AppProcessName, string[]>> = { worker: ['--max-semi-space-size=4'] };

/**
 * glibc gives threads that allocate at the same time malloc arenas of their own, up to 8 per core, and
 * keeps what they freed; the worker's native Temporal core allocates from a pool of threads. Two arenas
 * left less RSS after load (docs/performance.md). The environment may override it.
 */
const PROCESS_ENV: Partial<Record<AppProcessName, Record<string, string>>> = { worker: { MALLOC_ARENA_MAX: '2' } };

export interface AppStackOptions {
  ports: Record<AppProcessName, number>;
  /** Environment shared by every process (URLs, token, database URLs, limits…). */
  env: Record<string, string>;
  /** Per-process additions. */
  envFor?: Partial<Record<AppProcessName, Record<string, string>>>;
  output?: Writable;
  /** How long a process may answer nothing before its start fails; one that says a dependency is down waits without a limit. */
  readyTimeoutMs?: number;
  /**
   * Run the compiled JavaScript (dist/, built here if stale) with plain node, as `npm start` does;
   * otherwise the TypeScript sources through tsx (tests: no compile step in the run).
   */
  compiled?: boolean;
  /** Extra node flags for every process (e.g. `--cpu-prof` for a profiled benchmark). */
  nodeFlags?: string[];
  /** Starts only these processes (in the usual order); all of them when absent. */
  only?: AppProcessName[];
}

export interface AppStack {
  urls: Record<AppProcessName, string>;
  processes: Map<AppProcessName, ManagedProcess>;
  /** Stops one process (as a crash or a deploy would) and starts it again with the same settings. */
  restart(name: AppProcessName): Promise<void>;
  stopOne(name: AppProcessName): Promise<void>;
  startOne(name: AppProcessName): Promise<void>;
  /** One more instance of a stateless process (a second gateway or worker) on `port`, `env` added; stopped with the stack. */
  startReplica(
    name: 'api' | 'worker',
    port: number,
    env?: Record<string, string>,
  ): Promise<{ url: string; process: ManagedProcess }>;
  /** The workflow bundle the worker runs (WORKFLOW_BUNDLE_PATH); empty when the stack runs no worker. */
  workflowBundle: Promise<string>;
  stop(): Promise<void>;
}

function serviceUrls(ports: Record<AppProcessName, number>): Record<AppProcessName, string> {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    users: url(ports.users),
    products: url(ports.products),
    orders: url(ports.orders),
    notifications: url(ports.notifications),
    worker: url(ports.worker),
    api: url(ports.api),
  };
}

/**
 * Starts users, products and orders together, then the worker, then the gateway, each gated on its
 * own readiness endpoint. Shared by `npm start` and the end-to-end tests, so both run the same thing.
 */
export async function startAppStack(options: AppStackOptions): Promise<AppStack> {
  const urls = serviceUrls(options.ports);
  if (options.compiled) await ensureCompiled((line) => options.output?.write(`[stack] ${line}\n`));
  const processes = new Map<AppProcessName, ManagedProcess>();
  const baseEnv: Record<string, string> = {
    ...options.env,
    USERS_URL: urls.users,
    PRODUCTS_URL: urls.products,
    ORDERS_URL: urls.orders,
    NOTIFICATIONS_URL: urls.notifications,
  };

  const envOf = (name: AppProcessName): NodeJS.ProcessEnv => ({
    ...PROCESS_ENV[name],
    ...process.env,
    ...baseEnv,
    ...options.envFor?.[name],
  });
  // Built (or found in the cache) while the services start; the worker then starts without webpack.
  const workerEnv = envOf('worker');
  const wanted = (name: AppProcessName) => !options.only || options.only.includes(name);
  const workflowBundle = workerEnv.WORKFLOW_BUNDLE_PATH
    ? Promise.resolve(workerEnv.WORKFLOW_BUNDLE_PATH)
    : !wanted('worker')
      ? Promise.resolve('')
      : ensureWorkflowBundle({ tracing: Boolean(workerEnv.OTEL_EXPORTER_OTLP_ENDPOINT) });
  workflowBundle.catch(() => undefined); // awaited (and reported) when the worker starts

  /** Spawns `name` listening on `port`, registers it with `keep` (so a failed start is still stopped), waits until ready. */
  const spawnReady = async (
    name: AppProcessName,
    port: number,
    label: string,
    keep: (p: ManagedProcess) => void,
    extraEnv: Record<string, string> = {},
  ) => {
    const spec = APP_PROCESSES.find((p) => p.name === name)!;
    const env = { ...envOf(name), [spec.portVar]: String(port) };
    if (name === 'worker') env.WORKFLOW_BUNDLE_PATH = await workflowBundle;
    Object.assign(env, extraEnv);
    const entry = options.compiled ? [compiledEntry(spec.entry)] : ['--import', 'tsx', spec.entry];
    const args = [...(NODE_FLAGS[name] ?? []), ...(options.nodeFlags ?? []), ...entry];
    const proc = spawnManaged(label, process.execPath, args, { cwd: root, env, output: options.output });
    keep(proc);
    const url = `http://127.0.0.1:${port}`;
    const report = (line: string) => options.output?.write(`[stack] ${line}\n`);
    await Promise.race([
      waitUntilReady(label, `${url}${spec.readyPath}`, { timeoutMs: options.readyTimeoutMs ?? 90_000, report }),
      proc.exited.then((code) => Promise.reject(new Error(`${label} exited during start-up (${code})`))),
    ]);
    return { url, process: proc };
  };
  const startOne = async (name: AppProcessName) => {
    await spawnReady(name, options.ports[name], name, (proc) => processes.set(name, proc));
  };
  const replicas: ManagedProcess[] = [];
  const startReplica = (name: 'api' | 'worker', port: number, env?: Record<string, string>) =>
    spawnReady(name, port, `${name}-${replicas.length + 2}`, (proc) => replicas.push(proc), env);
  const stopOne = async (name: AppProcessName) => {
    await processes.get(name)?.stop(8000);
    processes.delete(name);
  };
  const stop = async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.stop(8000)));
    for (const name of [...APP_PROCESSES].reverse().map((p) => p.name)) await stopOne(name);
  };

  try {
    await Promise.all((['users', 'products', 'orders', 'notifications'] as const).filter(wanted).map(startOne));
    if (wanted('worker')) await startOne('worker');
    if (wanted('api')) await startOne('api');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls,
    processes,
    startOne,
    stopOne,
    stop,
    startReplica,
    workflowBundle,
    restart: async (name) => {
      await stopOne(name);
      await startOne(name);
    },
  };
}
