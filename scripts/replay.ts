// `npm run replay [-- --since 24h --limit 500 --where '...' --bundle FILE]`: replays the server's recent placeOrder
// histories (open and closed) through the workflow bundle that ships; exits 1 naming every workflow that diverges.
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { loadConfigOrExit, parseConfig, ConfigError, temporalFields } from '../lib/config.js';
import { payloadDataConverter, payloadKeyFields } from '../lib/payload-keys.js';
import { temporalConnectionOptions } from '../lib/temporal-connection.js';
import { WORKFLOW_TYPE } from '../contracts/order-saga.js';
import { ensureWorkflowBundle } from './bundle-workflows.js';
import { replayFromServer, replayVisibilityQuery } from './replay-histories.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const ReplayEnv = z.object({ ...temporalFields, ...payloadKeyFields });

const ReplayArgs = z.object({
  /** How far back: executions started within this window (`90m`, `24h`, `7d`). */
  since: z
    .string()
    .regex(/^\d+[mhd]$/, 'a number of minutes, hours or days: 90m, 24h, 7d')
    .default('24h')
    .transform((v) => Number(v.slice(0, -1)) * UNIT_MS[v.slice(-1) as keyof typeof UNIT_MS]),
  /** At most this many executions. */
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
  type: z.string().min(1).default(WORKFLOW_TYPE),
  /** Extra visibility clauses, ANDed. */
  where: z.string().min(1).optional(),
  /** A bundle file to replay (e.g. dist/workflow-bundle.js of the image); default: the one `npm run build` ships. */
  bundle: z.string().min(1).optional(),
});
type ReplayArgs = z.infer<typeof ReplayArgs>;

function parseCommandLine(argv: string[]): ReplayArgs {
  const options = {
    since: { type: 'string' },
    limit: { type: 'string' },
    type: { type: 'string' },
    where: { type: 'string' },
    bundle: { type: 'string' },
  } as const;
  try {
    return parseConfig(ReplayArgs, parseArgs({ args: argv, options, strict: true }).values);
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
    process.stderr.write(`replay: ${problems.join('; ')}\n`);
    process.exit(2);
  }
}

const env = loadConfigOrExit(ReplayEnv, process.env);
const args = parseCommandLine(process.argv.slice(2));
// The replayer's worker logs every state change at INFO; a divergence is reported below.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});
const say = (line: string) => process.stdout.write(`[replay] ${line}\n`);
// The image's bundle (scripts/bundle-workflows.ts) carries the tracing interceptors; so does this one.
const codePath = args.bundle ?? (await ensureWorkflowBundle({ tracing: true }));
const since = new Date(Date.now() - args.since);
const query = replayVisibilityQuery({ since, workflowType: args.type, where: args.where });
const connection = await Connection.connect(temporalConnectionOptions(env));
try {
  // The listing decodes each execution's memo, which is encrypted like every payload.
  const dataConverter = payloadDataConverter(env);
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
  say(`${env.TEMPORAL_ADDRESS} ${env.TEMPORAL_NAMESPACE}: ${query} (at most ${args.limit})`);
  say(`bundle ${codePath}`);
  const report = await replayFromServer({
    client,
    workflowBundle: { codePath },
    dataConverter,
    query,
    limit: args.limit,
    onResult: (workflowId, failure) => {
      if (failure) say(`FAIL ${workflowId} (run ${failure.runId}): ${failure.kind}: ${failure.message}`);
    },
  });
  const failed = report.failures.length;
  say(`replayed ${report.replayed} ${args.type} histories: ${report.replayed - failed} ok, ${failed} failed`);
  if (failed > 0) say(`not safe to deploy: ${report.failures.map((f) => f.workflowId).join(', ')}`);
  process.exitCode = failed > 0 ? 1 : 0;
} catch (error) {
  process.stderr.write(`replay failed: ${(error as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await connection.close();
}
