import { readFile } from 'node:fs/promises';

export function percentiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return `p50 ${at(50).toFixed(0)} ms  p95 ${at(95).toFixed(0)} ms  p99 ${at(99).toFixed(0)} ms`;
}

export async function rssMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Runs `worker` loops of `one()` until `total` calls have started; returns calls per second. */
export async function closedLoop(total: number, workers: number, one: (i: number) => Promise<void>): Promise<number> {
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
export async function openLoop(perSecond: number, seconds: number, one: () => Promise<void>): Promise<void> {
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = started + (i * 1000) / perSecond;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    pending.push(one());
  }
  await Promise.all(pending);
}
