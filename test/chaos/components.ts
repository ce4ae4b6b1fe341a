import { readdir, readFile } from 'node:fs/promises';

/** Every process `npm start` runs, by the name the chaos reports use. */
export const COMPONENTS = [
  'worker',
  'users',
  'products',
  'orders',
  'notifications',
  'gateway',
  'temporal',
  'ferretdb',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** How to recognise each component's process among those of one launcher (all name its data dir). */
const MARKERS: Record<Component, RegExp | string> = {
  worker: 'workers/main.',
  users: 'services/users/main.',
  products: 'services/products/main.',
  orders: 'services/orders/main.',
  notifications: 'services/notifications/main.',
  gateway: 'api/main.',
  // The dev server, or the production server (`npm start -- --engine server`).
  temporal: /server start-dev|temporal-server-v[^ ]*\/server /,
  ferretdb: '--handler=postgresql',
};

export interface RunningProcess {
  pid: number;
  cmdline: string;
}

/** Processes of one launcher: their command line or environment names its data dir. */
export async function processesUsing(dataDir: string): Promise<RunningProcess[]> {
  const found: RunningProcess[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (cmdline.includes(dataDir) || environ.includes(`DATA_DIR=${dataDir}\0`))
      found.push({ pid: Number(pid), cmdline });
  }
  return found;
}

/** The pid of each component that is running now (a component being restarted may be missing). */
export async function componentPids(dataDir: string): Promise<Partial<Record<Component, number>>> {
  const running = await processesUsing(dataDir);
  const pids: Partial<Record<Component, number>> = {};
  for (const name of COMPONENTS) {
    const marker = MARKERS[name];
    const proc = running.find((p) =>
      typeof marker === 'string' ? p.cmdline.includes(marker) : marker.test(p.cmdline),
    );
    if (proc) pids[name] = proc.pid;
  }
  return pids;
}
