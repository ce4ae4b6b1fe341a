import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has gone. */
  exited: Promise<number | string>;
  stop: (graceMs?: number) => Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where prefixed output lines go; defaults to this process's stdout. */
  output?: Writable;
}

/** Spawns a child whose every output line is prefixed by its name, and that can be stopped for sure. */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() reaches grandchildren too
  });
  const out = options.output ?? process.stdout;
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      out.write(`${prefix}failed to start: ${error.message}\n`);
      resolve('spawn-error');
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = async (graceMs = 8000) => {
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    signalGroup('SIGKILL'); // anything the child left behind in its group
  };
  return { name, child, exited, stop };
}

const handedOut = new Set<number>();

/** The lowest port the kernel gives outgoing connections (Linux; 32768, its default, elsewhere). */
async function ephemeralLow(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const low = Number(range.trim().split(/\s+/)[0]);
  return Number.isInteger(low) && low > 0 ? low : 32_768;
}

/**
 * A free port on 127.0.0.1 below the ephemeral range: a port from that range could be taken as the local
 * port of some outgoing connection before the process it was chosen for listens (EADDRINUSE at start).
 */
export async function freePort(): Promise<number> {
  const low = Math.min(await ephemeralLow(), 65_536);
  const first = 10_000;
  for (let attempt = 0; attempt < 200 && low > first; attempt++) {
    const port = first + Math.floor(Math.random() * (low - first));
    if (handedOut.has(port) || !(await portFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${first} and ${low}`);
}

/** Polls until `check` resolves truthy; never a fixed sleep. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.ok;
}

export async function portFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Fails fast with a readable message when a port the stack needs is taken. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portFree(port))) busy.push(`${name} (port ${port})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `ports already in use: ${busy.join(', ')}. Stop what holds them, or choose other ports (see README: environment variables).`,
    );
  }
}
