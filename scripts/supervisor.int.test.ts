import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import { backoffMs, createSupervisor, type StartChild, type Supervisor } from './supervisor.js';

// Real child processes (`node -e`), real exits and SIGKILLs; only the backoff is shortened.
const spawnedHere: ManagedProcess[] = [];
const supervisors: Supervisor[] = [];
afterEach(async () => {
  supervisors.splice(0).forEach((s) => s.stop());
  await Promise.all(spawnedHere.splice(0).map((p) => p.stop(1000)));
});

function node(script: string): ManagedProcess {
  const proc = spawnManaged('child', process.execPath, ['-e', script], { output: new PassThrough() });
  spawnedHere.push(proc);
  return proc;
}
const longLived = () => node('setInterval(() => {}, 1000)');
const isAlive = (proc: ManagedProcess | undefined) => proc?.child.exitCode === null && proc.child.signalCode === null;

function supervise(options: { maxRestarts?: number; windowMs?: number } = {}) {
  const lines: string[] = [];
  const crashLoops: string[] = [];
  const supervisor = createSupervisor({
    say: (line) => lines.push(line),
    onCrashLoop: (name) => crashLoops.push(name),
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    ...options,
  });
  supervisors.push(supervisor);
  return { supervisor, lines, crashLoops };
}

const startLongLived: StartChild = async (spawned) => {
  const proc = longLived();
  spawned(proc);
  return proc;
};

describe('createSupervisor', () => {
  it('restarts a child that exits or is SIGKILLed, says so loudly, and keeps the new one as current', async () => {
    const { supervisor, lines, crashLoops } = supervise();
    const first = node('process.exit(3)');
    supervisor.watch('app', first, startLongLived);
    await waitFor('first restart', async () => supervisor.current('app') !== first, 5000, 20);
    await waitFor('alive', async () => isAlive(supervisor.current('app')), 5000, 20);
    const second = supervisor.current('app')!;
    process.kill(second.child.pid!, 'SIGKILL');
    await waitFor('second restart', async () => supervisor.current('app') !== second, 5000, 20);
    await waitFor('alive', async () => isAlive(supervisor.current('app')), 5000, 20);

    expect(supervisor.restarts('app')).toBe(2);
    expect(lines.some((l) => l.includes('app exited unexpectedly (3); restart 1'))).toBe(true);
    expect(lines.some((l) => l.includes('app exited unexpectedly (SIGKILL); restart 2'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('app is back'))).toHaveLength(2);
    expect(crashLoops).toEqual([]);
  });

  it('declares a crash loop once a child dies more than maxRestarts times within the window', async () => {
    const { supervisor, lines, crashLoops } = supervise({ maxRestarts: 3 });
    let starts = 0;
    supervisor.watch('flaky', node('process.exit(1)'), async (spawned) => {
      starts += 1;
      const proc = node('process.exit(1)');
      spawned(proc);
      return proc;
    });
    await waitFor('crash loop', async () => crashLoops.length > 0, 10_000, 20);
    await new Promise((r) => setTimeout(r, 200)); // nothing more may happen after giving up

    expect(crashLoops).toEqual(['flaky']);
    expect(starts).toBe(3);
    expect(lines.at(-1)).toMatch(/flaky died \(1\) after 3 restarts within 60\.0 s: crash loop/);
  });

  it('never counts a start that fails without an exit (not ready, a start step that threw): it stops it and tries again', async () => {
    const { supervisor, lines, crashLoops } = supervise({ maxRestarts: 2 });
    const spawned: ManagedProcess[] = [];
    let starts = 0;
    supervisor.watch('waiting', node('process.exit(2)'), async (onSpawn) => {
      if (++starts === 3) throw new Error('database down (before spawning)');
      const proc = longLived();
      spawned.push(proc);
      onSpawn(proc);
      if (spawned.length < 5) throw new Error('not ready in time');
      return proc;
    });
    await waitFor(
      'the fifth start succeeds',
      async () => spawned.length === 5 && isAlive(supervisor.current('waiting')),
      10_000,
      20,
    );

    expect(crashLoops).toEqual([]);
    expect(supervisor.restarts('waiting')).toBe(1); // the one real exit
    await Promise.all(spawned.slice(0, 4).map((p) => p.exited));
    expect(lines.filter((l) => l.includes('waiting failed to start again: not ready in time'))).toHaveLength(4);
    expect(lines.some((l) => l.includes('waiting is not up yet; trying again'))).toBe(true);
  });

  it('counts a start whose process exits by itself before it is ready', async () => {
    const { supervisor, crashLoops } = supervise({ maxRestarts: 2 });
    let starts = 0;
    supervisor.watch('broken', node('process.exit(2)'), async (onSpawn) => {
      starts += 1;
      const proc = node('process.exit(1)');
      onSpawn(proc);
      await proc.exited;
      throw new Error('exited during start-up');
    });
    await waitFor('crash loop', async () => crashLoops.length > 0, 10_000, 20);
    expect(starts).toBe(2);
  });

  it('forgets restarts older than the window', async () => {
    const { supervisor, crashLoops } = supervise({ maxRestarts: 1, windowMs: 150 });
    supervisor.watch('app', longLived(), startLongLived);
    for (let kill = 0; kill < 3; kill += 1) {
      const before = supervisor.current('app')!;
      await new Promise((r) => setTimeout(r, 250));
      process.kill(before.child.pid!, 'SIGKILL');
      await waitFor('restart', async () => isAlive(supervisor.current('app')) && supervisor.current('app') !== before);
    }
    expect(crashLoops).toEqual([]);
  });

  it('restarts nothing once stopped', async () => {
    const { supervisor, lines } = supervise();
    const first = longLived();
    supervisor.watch('app', first, startLongLived);
    supervisor.stop();
    process.kill(first.child.pid!, 'SIGKILL');
    await first.exited;
    await new Promise((r) => setTimeout(r, 100));
    expect(supervisor.current('app')).toBe(first);
    expect(lines).toEqual([]);
  });

  it('doubles the backoff with each recent restart, up to a cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
});
