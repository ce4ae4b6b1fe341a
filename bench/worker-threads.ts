import { readdir, readFile } from 'node:fs/promises';

/** CPU seconds of a process's live threads by tid, and of the whole process (exited threads included). */
export interface ThreadCpu {
  pid: number;
  threads: Map<number, { name: string; seconds: number }>;
  total: number;
}

/** utime + stime of one /proc stat line, in seconds (clock ticks of 1/100 s). */
function statSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function readThreadCpu(pid: number): Promise<ThreadCpu> {
  const threads = new Map<number, { name: string; seconds: number }>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const dir = `/proc/${pid}/task/${tid}`;
    const [name, stat] = await Promise.all([readFile(`${dir}/comm`, 'utf8'), readFile(`${dir}/stat`, 'utf8')]).catch(
      () => ['', ''],
    );
    if (stat) threads.set(Number(tid), { name: name.trim(), seconds: statSeconds(stat) });
  }
  const total = statSeconds(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
  return { pid, threads, total };
}

/**
 * The worker's CPU per order by what its threads do. Node names none of its threads: the main thread is the
 * process's own tid, the workflow thread the busiest other JavaScript thread, the rest V8's helpers (garbage
 * collection, compilers) and libuv's pool; the SDK's Rust core names its threads. A thread that ended between
 * the snapshots (the sandbox's watchdog: one per call into it) shows only in the process total.
 */
export function workerThreadShares(before: ThreadCpu, after: ThreadCpu, orders: number): Record<string, number> {
  const delta = new Map<number, { name: string; seconds: number }>();
  for (const [tid, thread] of after.threads) {
    delta.set(tid, { name: thread.name, seconds: thread.seconds - (before.threads.get(tid)?.seconds ?? 0) });
  }
  const core = /^(tokio-runtime|workflow-proces|temporal-)/;
  const sum = (entries: { seconds: number }[]) => entries.reduce((s, t) => s + t.seconds, 0);
  const others = [...delta].filter(([tid, t]) => tid !== after.pid && !core.test(t.name)).map(([, t]) => t);
  const sandbox = others.reduce((max, t) => Math.max(max, t.seconds), 0);
  const live = sum([...delta.values()]);
  const shares = {
    main: delta.get(after.pid)?.seconds ?? 0,
    'workflow thread': sandbox,
    'Rust core': sum([...delta.values()].filter((t) => core.test(t.name))),
    'V8 and libuv helpers': sum(others) - sandbox,
    'ended threads': Math.max(0, after.total - before.total - live),
  };
  return Object.fromEntries(Object.entries(shares).map(([role, s]) => [role, (s * 1000) / orders]));
}

export function threadLine(shares: Record<string, number>): string {
  return Object.entries(shares)
    .map(([role, ms]) => `${role} ${ms.toFixed(1)}`)
    .join(', ');
}
