import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ReplayCheck {
  /** placeOrder histories the replayer read from the stack's Temporal, and how many diverged. */
  replayed: number;
  failed: number;
  exitCode: number;
  /** The replayer's own report, printed when it did not pass. */
  output: string;
}

const SUMMARY = /replayed (\d+) placeOrder histories: (\d+) ok, (\d+) failed/;

/**
 * `npm run replay` against the chaos stack's Temporal: every order of the run, open or closed, through the
 * bundle that ships, with the codec the stack encrypted them with.
 */
export function replayStackHistories(temporalPort: number, timeoutMs = 300_000): Promise<ReplayCheck> {
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  const env = { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}` };
  const args = ['scripts/replay.ts', '--since', '7d', '--limit', '100000'];
  return new Promise((resolve) => {
    execFile(tsx, args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const summary = SUMMARY.exec(output);
      resolve({
        replayed: Number(summary?.[1] ?? 0),
        failed: Number(summary?.[3] ?? 0),
        exitCode: error ? Number(error.code ?? 1) : 0,
        output,
      });
    });
  });
}
