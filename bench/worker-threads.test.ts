import { describe, expect, it } from 'vitest';
import { readThreadCpu, threadLine, workerThreadShares, type ThreadCpu } from './worker-threads.js';

const snapshot = (total: number, threads: [number, string, number][]): ThreadCpu => ({
  pid: 100,
  total,
  threads: new Map(threads.map(([tid, name, seconds]) => [tid, { name, seconds }])),
});

describe('the worker CPU by thread', () => {
  it('tells the main, workflow, core and helper threads apart, and counts what ended threads used', () => {
    const before = snapshot(10, [
      [100, 'node', 5],
      [101, 'node', 1],
      [102, 'node', 1],
      [110, 'tokio-runtime-w', 1],
      [120, 'node', 1],
    ]);
    const after = snapshot(20.5, [
      [100, 'node', 9], // main: 4
      [101, 'node', 1.5], // helper: 0.5
      [102, 'node', 1.5], // helper: 0.5
      [110, 'tokio-runtime-w', 2], // core: 1
      [111, 'workflow-proces', 0.5], // core, new: 0.5
      [120, 'node', 3], // the workflow thread: 2
    ]);
    // 10.5 s in all, 8.5 s in live threads: 2 s in threads that ended.
    expect(workerThreadShares(before, after, 100)).toEqual({
      main: 40,
      'workflow thread': 20,
      'Rust core': 15,
      'V8 and libuv helpers': 10,
      'ended threads': 20,
    });
  });

  it('prints milliseconds per order', () => {
    expect(threadLine({ main: 40, 'ended threads': 2.25 })).toBe('main 40.0, ended threads 2.3');
  });

  it('reads this process: its own tid is among its threads, and the total covers them', async () => {
    const own = await readThreadCpu(process.pid);
    expect(own.threads.has(process.pid)).toBe(true);
    const live = [...own.threads.values()].reduce((s, t) => s + t.seconds, 0);
    expect(own.total).toBeGreaterThanOrEqual(live - 0.05);
  });
});
