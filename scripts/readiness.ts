/** What a process's `/readyz` says: ready, waiting for named dependencies, or something else. */
export type Readiness =
  { state: 'ready' } | { state: 'waiting'; down: string[] } | { state: 'not-ready'; detail: string };

/** Reads `/readyz`: a 503 problem whose `down` names dependencies means the process is waiting for them. */
async function readinessOf(url: string): Promise<Readiness> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  if (response.ok) {
    await response.body?.cancel();
    return { state: 'ready' };
  }
  const body = (await response.json().catch(() => ({}))) as { down?: unknown };
  const down = Array.isArray(body.down) ? body.down.filter((name): name is string => typeof name === 'string') : [];
  return down.length > 0 ? { state: 'waiting', down } : { state: 'not-ready', detail: `HTTP ${response.status}` };
}

export interface WaitUntilReadyOptions {
  /** How long the process may answer nothing (or not-ready without naming a dependency) before it counts as failed. */
  timeoutMs: number;
  intervalMs?: number;
  /** Called every `reportEveryMs` while the process waits for a dependency. */
  report?: (line: string) => void;
  reportEveryMs?: number;
}

/**
 * Polls `/readyz` until ready. A process that says a dependency is down is waiting, not failing: no
 * deadline runs meanwhile (a shared database or broker may be down for a while, the process resumes
 * by itself). The deadline counts only time in which the process does not say what it waits for.
 */
export async function waitUntilReady(label: string, url: string, options: WaitUntilReadyOptions): Promise<void> {
  const { timeoutMs, intervalMs = 200, report, reportEveryMs = 10_000 } = options;
  let deadline = Date.now() + timeoutMs;
  let waitingSince: number | undefined;
  let reportedAt = 0;
  let last = 'no answer';
  for (;;) {
    const readiness = await readinessOf(url).catch(
      (error: Error) => ({ state: 'no-answer', detail: error.message }) as const,
    );
    const now = Date.now();
    if (readiness.state === 'ready') {
      if (waitingSince !== undefined)
        report?.(`${label} is ready (waited ${seconds(now - waitingSince)} for a dependency)`);
      return;
    }
    if (readiness.state === 'waiting') {
      waitingSince ??= now;
      deadline = now + timeoutMs;
      if (now - reportedAt >= reportEveryMs) {
        reportedAt = now;
        report?.(`${label} waits for ${readiness.down.join(', ')} (down; ${seconds(now - waitingSince)} so far)`);
      }
    } else {
      last = readiness.detail;
      if (now > deadline) throw new Error(`${label} not ready after ${timeoutMs} ms: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Runs `attempt` until it succeeds (1 s apart), saying once what is awaited and then every 10 s: the
 * launcher waits for a shared database or broker that is down instead of giving up on the stack.
 */
export async function waitForDependency<T>(what: string, attempt: () => Promise<T>, say: (line: string) => void) {
  const started = Date.now();
  let saidAt = 0;
  for (;;) {
    try {
      const result = await attempt();
      if (saidAt > 0) say(`${what} is up (waited ${seconds(Date.now() - started)})`);
      return result;
    } catch (error) {
      if (Date.now() - saidAt >= 10_000) {
        saidAt = Date.now();
        say(`waiting for ${what}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
