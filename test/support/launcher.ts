import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { processesUsing } from '../chaos/components.js';

// `npm start` run exactly as a user runs it, for the launcher's own tests (scripts/start*.e2e.test.ts).
const launched: ChildProcess[] = [];

/** SIGKILLs every launcher group still running: call it in `afterAll`. */
export function killLaunched(): void {
  for (const child of launched.splice(0)) {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs `npm start`, resolving once it says ready; `onLine` sees every output line as it comes. */
export async function launch(env: Record<string, string>, args: string[] = [], onLine?: (line: string) => void) {
  // Exactly what a user runs; signals go to the whole group, as Ctrl-C in a terminal does (npm, tsx and node all get one).
  const child = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], {
    env: { ...process.env, ...env, LOG_FORMAT: 'json', TEMPORAL_ADDRESS: '', MONGO_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  launched.push(child);
  const lines: string[] = [];
  // npm re-raises the signal it was stopped by, so a clean stop is exit code 0 or that signal.
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine?.(line);
      if (line === '[start] ready') resolve();
    });
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
    void exited.then((code) =>
      reject(new Error(`launcher exited (${code}) before ready:\n${lines.slice(-30).join('\n')}`)),
    );
  });
  await ready;
  // The launcher's last word; npm may exit before it on SIGTERM, so wait for the line itself.
  const stopped = new Promise<string>((resolve) => {
    const check = setInterval(() => {
      const line = lines.find((l) => l.startsWith('[start] stopped'));
      if (line) {
        clearInterval(check);
        resolve(line);
      }
    }, 100);
  });
  return { child, lines, exited, stopped };
}

/** Processes of this launcher still alive once it said it stopped (its own exit may take a moment). */
export async function processesLeft(dataDir: string, withinMs = 5_000): Promise<{ pid: number; cmdline: string }[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = await processesUsing(dataDir);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function portsInUse(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) {
    const open = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (open) busy.push(port);
  }
  return busy;
}
