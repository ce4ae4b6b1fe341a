import type { ManagedProcess } from './processes.js';

/** Starts a child again; calls `spawned` as soon as the process exists, resolves once it is ready. */
export type StartChild = (spawned: (proc: ManagedProcess) => void) => Promise<ManagedProcess>;

export interface SupervisorOptions {
  /** Loud lines for the operator (crashes, restarts, the crash loop). */
  say: (line: string) => void;
  /** Called once when a child crashes more than `maxRestarts` times within `windowMs`. */
  onCrashLoop: (name: string) => void;
  maxRestarts?: number;
  windowMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface Supervisor {
  /** First start of a child (known to `current` from its spawn on), then watched. */
  start(name: string, start: StartChild): Promise<ManagedProcess>;
  watch(name: string, proc: ManagedProcess, start: StartChild): void;
  /** The live (or starting) process of a child. */
  current(name: string): ManagedProcess | undefined;
  /** Restarts the child has had within the window, for logs and tests. */
  restarts(name: string): number;
  /** Stops restarting (the stack is shutting down); a child spawned after this is stopped at once. */
  stop(): void;
}

/** Delay before the next restart, doubling with each restart already in the window. */
export function backoffMs(restartsInWindow: number, baseMs = 500, maxMs = 8000): number {
  return Math.min(baseMs * 2 ** restartsInWindow, maxMs);
}

const isAlive = (proc: ManagedProcess) => proc.child.exitCode === null && proc.child.signalCode === null;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Restarts children that die, as a container platform would: with backoff and a loud line, giving
 * up (crash loop) only when one child dies more than `maxRestarts` times within `windowMs`. Only exits
 * count: a child that is alive but waits for a dependency (a database, the broker) is waiting, not failing.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const live = new Map<string, ManagedProcess>();
  const history = new Map<string, number[]>();
  let stopped = false;

  const recentRestarts = (name: string, now: number) => {
    const recent = (history.get(name) ?? []).filter((at) => now - at < windowMs);
    history.set(name, recent);
    return recent;
  };

  /**
   * One restart attempt. A process that exits by itself before it is ready is returned (dead) for the
   * loop to count; a start that fails without an exit (not ready in time, a start step that threw) is
   * stopped and answered undefined: tried again, never counted as a crash.
   */
  async function restart(name: string, start: StartChild): Promise<ManagedProcess | undefined> {
    let spawned: ManagedProcess | undefined;
    try {
      return await start((proc) => {
        spawned = proc;
        live.set(name, proc);
        if (stopped) void proc.stop(3000);
      });
    } catch (error) {
      const exitedByItself = spawned !== undefined && !isAlive(spawned);
      if (!stopped) options.say(`!!! ${name} failed to start again: ${(error as Error).message} !!!`);
      await spawned?.stop(3000);
      return exitedByItself ? spawned : undefined;
    }
  }

  async function keepAlive(name: string, first: ManagedProcess, start: StartChild): Promise<void> {
    let proc: ManagedProcess | undefined = first;
    let failedStarts = 0;
    while (!stopped) {
      let delay: number;
      if (proc) {
        const code = await proc.exited;
        if (stopped) return;
        const recent = recentRestarts(name, Date.now());
        if (recent.length >= maxRestarts) {
          options.say(
            `!!! ${name} died (${code}) after ${recent.length} restarts within ${seconds(windowMs)}: crash loop !!!`,
          );
          stopped = true;
          options.onCrashLoop(name);
          return;
        }
        delay = backoffMs(recent.length, options.backoffBaseMs, options.backoffMaxMs);
        recent.push(Date.now());
        failedStarts = 0;
        options.say(`!!! ${name} exited unexpectedly (${code}); restart ${recent.length} in ${seconds(delay)} !!!`);
      } else {
        // Not an exit (e.g. a start step that needs a database that is down): keep trying, capped backoff.
        delay = backoffMs(failedStarts++, options.backoffBaseMs, options.backoffMaxMs);
        options.say(`${name} is not up yet; trying again in ${seconds(delay)}`);
      }
      const diedAt = Date.now();
      await sleep(delay);
      if (stopped) return;
      proc = await restart(name, start);
      if (proc && !stopped && isAlive(proc)) {
        options.say(`${name} is back (pid ${proc.child.pid}, ready ${seconds(Date.now() - diedAt)} after its exit)`);
      }
    }
  }

  const watch = (name: string, proc: ManagedProcess, start: StartChild) => {
    live.set(name, proc);
    void keepAlive(name, proc, start);
  };
  return {
    async start(name, start) {
      const proc = await start((spawned) => live.set(name, spawned));
      watch(name, proc, start);
      return proc;
    },
    watch,
    current: (name) => live.get(name),
    restarts: (name) => recentRestarts(name, Date.now()).length,
    stop() {
      stopped = true;
    },
  };
}
