// The acceptance on every chaos run: `npm run replay` itself (scripts/replay.ts, as a child process) replays
// every placeOrder history of the run through the bundle the stack's worker ran, with the worker's own settings.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { temporalFields, TemporalSettingsSchema } from '../../lib/config.js';
import { payloadKeyFields } from '../../lib/payload-keys.js';
import { processesUsing } from './components.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const REPLAY_INVARIANTS = ['history that does not replay'] as const;
export type ReplayViolations = Record<(typeof REPLAY_INVARIANTS)[number], string[]>;

/** What `npm run replay` needs to replay one worker's histories as that worker would run them. */
export interface ReplayTarget {
  /** The worker's Temporal and payload key settings (unset ones absent). */
  env: Record<string, string>;
  /** The workflow bundle the worker loaded (WORKFLOW_BUNDLE_PATH). */
  bundle: string;
  taskQueue: string;
}

const REPLAY_ENV_KEYS = Object.keys({ ...temporalFields, ...payloadKeyFields });

async function environOf(pid: number): Promise<Map<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  const pairs = raw.split('\0').filter((entry) => entry.includes('='));
  return new Map(pairs.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Read from the running worker's process environment, so the replay uses what the worker used, not a guess. */
export async function workerReplayTarget(dataDir: string): Promise<ReplayTarget> {
  const workers: Map<string, string>[] = [];
  for (const { pid } of await processesUsing(dataDir)) {
    const environ = await environOf(pid);
    if (environ.has('WORKFLOW_BUNDLE_PATH')) workers.push(environ);
  }
  const bundles = new Set(workers.map((environ) => environ.get('WORKFLOW_BUNDLE_PATH')!));
  if (bundles.size !== 1)
    throw new Error(`expected one worker bundle under ${dataDir}, found ${[...bundles].join(', ') || 'none'}`);
  const worker = workers[0]!;
  const env = Object.fromEntries(REPLAY_ENV_KEYS.flatMap((key) => (worker.has(key) ? [[key, worker.get(key)!]] : [])));
  const taskQueue = TemporalSettingsSchema.shape.TEMPORAL_TASK_QUEUE.parse(env.TEMPORAL_TASK_QUEUE);
  return { env, bundle: [...bundles][0]!, taskQueue };
}

export interface ReplayOutcome {
  /** Histories the command says it replayed; undefined when it printed no summary. */
  replayed?: number;
  /** Its `FAIL <workflow id> (run …): <kind>: <message>` lines, without the prefix. */
  failures: string[];
  exitCode: number;
  output: string;
}

/** Runs `npm run replay` (tsx scripts/replay.ts) on the target's histories started within the last `sinceMs`. */
export function runReplayCommand(target: ReplayTarget, sinceMs: number): Promise<ReplayOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of REPLAY_ENV_KEYS) delete env[key];
  Object.assign(env, target.env);
  const args = [
    ...['--import', 'tsx', 'scripts/replay.ts', '--bundle', target.bundle, '--limit', '100000'],
    ...['--since', `${Math.ceil(sinceMs / 60_000) + 1}m`, '--where', `TaskQueue = '${target.taskQueue}'`],
  ];
  const options = { cwd: root, env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 };
  return new Promise((resolve) => {
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      const summary = /^\[replay\] replayed (\d+) /m.exec(stdout);
      resolve({
        replayed: summary ? Number(summary[1]) : undefined,
        failures: [...stdout.matchAll(/^\[replay\] FAIL (.*)$/gm)].map((m) => m[1]!),
        exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: `${stdout}${stderr}`,
      });
    });
  });
}

/** Every history that diverged, and a run whose replay did not finish or covered fewer histories than orders. */
export function replayViolations(outcome: ReplayOutcome, workflowIds: Iterable<string>): ReplayViolations {
  const found = [...outcome.failures];
  const expected = new Set(workflowIds).size;
  const tail = outcome.output.trim().split('\n').slice(-3).join(' | ');
  if (outcome.replayed === undefined) found.push(`npm run replay did not finish (exit ${outcome.exitCode}): ${tail}`);
  else if (outcome.replayed < expected) found.push(`replayed ${outcome.replayed} histories for ${expected} orders`);
  if (outcome.exitCode !== 0 && found.length === 0) found.push(`npm run replay exited ${outcome.exitCode}: ${tail}`);
  return { 'history that does not replay': found };
}

export interface ReplayFigures {
  /** The worker's bundle the histories were replayed through; undefined when it was not found. */
  bundle?: string;
  replayed?: number;
  failed: number;
}

/** The chaos run's replay step, while its stack still runs: the report's figures and the invariant's violations. */
export async function replayStackHistories(dataDir: string, sinceMs: number, workflowIds: string[]) {
  try {
    const target = await workerReplayTarget(dataDir);
    const outcome = await runReplayCommand(target, sinceMs);
    const figures: ReplayFigures = {
      bundle: target.bundle,
      replayed: outcome.replayed,
      failed: outcome.failures.length,
    };
    return { figures, violations: replayViolations(outcome, workflowIds) };
  } catch (error) {
    const violations: ReplayViolations = {
      'history that does not replay': [`not replayed: ${(error as Error).message}`],
    };
    return { figures: { failed: 0 } satisfies ReplayFigures, violations };
  }
}
