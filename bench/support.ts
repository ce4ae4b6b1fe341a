import { readdir, readFile } from 'node:fs/promises';
import postgres from 'postgres';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function percentiles(values: number[]): string {
  const at = (p: number) => percentile(values, p).toFixed(0);
  return `p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms`;
}

export async function rssMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Runs `worker` loops of `one()` until `total` calls have started; returns calls per second. */
export async function closedLoop(
  total: number,
  workers: number,
  one: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await one(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Starts `one()` at a fixed rate for `seconds` (open loop) and waits for all of them. */
export async function openLoop(perSecond: number, seconds: number, one: () => Promise<unknown>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const started = performance.now();
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = started + (i * 1000) / perSecond;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    pending.push(one());
  }
  await Promise.all(pending);
}

/** CPU seconds (user + system) a process has used so far; NaN when it is gone. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th (clock ticks of 1/100 s).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of every process whose command name is one of `names` (PostgreSQL backends, RabbitMQ…), per
 * `name:pid`, so a process that exits or starts between two snapshots does not skew the difference. With
 * `ownedBy`, a PostgreSQL backend counts only when its title names one of our databases (other databases on a
 * shared server are not ours); PostgreSQL's own processes (WAL writer, checkpointer…) always count.
 */
export async function cpuSecondsByPid(names: string[], ownedBy?: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = (await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')).trim();
    if (!names.includes(comm)) continue;
    if (ownedBy && comm === 'postgres') {
      const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
      const backend = /\(\d+\)/.test(title); // "postgres: … user database host(port) state"
      if (backend && !title.includes(ownedBy)) continue;
    }
    out[`${comm}:${entry}`] = (await cpuSeconds(Number(entry))) || 0;
  }
  return out;
}

/** With autovacuum off (as on CI machines) dead rows and empty-table plans pile up, so cost grows through a run. */
export async function autovacuumLine(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ autovacuum: string }[]>`show autovacuum`;
    return row?.autovacuum === 'on'
      ? 'PostgreSQL autovacuum on'
      : 'PostgreSQL autovacuum OFF: its tables keep dead rows and stale plans, so the cost per order grows through the run';
  } finally {
    await sql.end();
  }
}
