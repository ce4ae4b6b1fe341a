import { withTimeout } from './timeout.js';

/** Resolves when the dependency answers; rejects (or outlasts the timeout) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

export type CheckResults = Record<string, 'up' | 'down'>;

export interface ReadinessReport {
  /** The checks that decide readiness. */
  checks: CheckResults;
  /** The checks only reported: the process serves without them. */
  advisory: CheckResults;
}

export interface ReadinessProbeOptions {
  readiness: Record<string, ReadinessCheck>;
  advisory: Record<string, ReadinessCheck>;
  timeoutMs: number;
  /** A result younger than this (from the start of its probe) is answered again instead of probing anew. */
  maxAgeMs: number;
  /** Milliseconds; tests move time forward. */
  clock: () => number;
}

/**
 * Runs the checks at most once per `maxAgeMs`, one probe at a time: calls while a probe runs share it, calls
 * within `maxAgeMs` of its start get its result. A flood of /readyz costs the dependencies one probe a second,
 * not one per request.
 */
export function createReadinessProbe(options: ReadinessProbeOptions): () => Promise<ReadinessReport> {
  let last: { startedAt: number; running: boolean; report: Promise<ReadinessReport> } | undefined;
  return () => {
    const now = options.clock();
    if (last && (last.running || now - last.startedAt < options.maxAgeMs)) return last.report;
    const probe = { startedAt: now, running: true, report: probeAll(options) };
    void probe.report.finally(() => (probe.running = false));
    last = probe;
    return probe.report;
  };
}

async function probeAll({ readiness, advisory, timeoutMs }: ReadinessProbeOptions): Promise<ReadinessReport> {
  const [checks, advisoryChecks] = await Promise.all([checkAll(readiness, timeoutMs), checkAll(advisory, timeoutMs)]);
  return { checks, advisory: advisoryChecks };
}

async function checkAll(checks: Record<string, ReadinessCheck>, timeoutMs: number): Promise<CheckResults> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs);
        return [name, 'up'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
