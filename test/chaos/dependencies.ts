import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { waitFor } from '../../scripts/processes.js';

const run = promisify(execFile);

/** The machine's own shared servers the chaos run takes down (and always brings back). */
export const DEPENDENCIES = ['postgres', 'rabbitmq'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

const pgCluster = () => ['--skip-systemctl-redirect', readdirSync('/etc/postgresql')[0] ?? '15', 'main'];
const COMMANDS: Record<Dependency, { stop: string[]; start: string[]; up: string[] }> = {
  // An immediate stop drops every connection mid-query, as a crash or failover would.
  postgres: {
    stop: ['pg_ctlcluster', ...pgCluster(), 'stop', '-m', 'immediate'],
    start: ['pg_ctlcluster', ...pgCluster(), 'start'],
    up: ['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-q'],
  },
  // The broker application stops (every connection closed, nothing accepted); the Erlang node stays.
  rabbitmq: {
    stop: ['rabbitmqctl', '-q', 'stop_app'],
    start: ['rabbitmqctl', '-q', 'start_app'],
    up: ['rabbitmqctl', '-q', 'await_startup'],
  },
};

const isUp = async (name: Dependency) => {
  const [cmd, ...args] = COMMANDS[name].up;
  return run(cmd!, args, { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
};

export async function stopDependency(name: Dependency): Promise<void> {
  const [cmd, ...args] = COMMANDS[name].stop;
  await run(cmd!, args, { timeout: 60_000 });
}

export async function startDependency(name: Dependency): Promise<void> {
  const [cmd, ...args] = COMMANDS[name].start;
  await run(cmd!, args, { timeout: 120_000 }).catch(() => undefined); // already running is fine
  await waitFor(`${name} up`, () => isUp(name), 120_000, 250);
}

/** Starts whatever is down; synchronous, so it also runs from a signal handler or on exit. */
export function restoreDependenciesSync(): void {
  for (const name of DEPENDENCIES) {
    const up = (() => {
      const [cmd, ...args] = COMMANDS[name].up;
      try {
        execFileSync(cmd!, args, { stdio: 'ignore', timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    })();
    if (up) continue;
    const [cmd, ...args] = COMMANDS[name].start;
    try {
      execFileSync(cmd!, args, { stdio: 'ignore', timeout: 120_000 });
    } catch {
      // reported by the next readiness check
    }
  }
}

/** Restores the dependencies however the process ends (normal exit, Ctrl-C, SIGTERM). */
export function restoreDependenciesOnExit(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    restoreDependenciesSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', restoreDependenciesSync);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', restoreDependenciesSync);
  };
}
