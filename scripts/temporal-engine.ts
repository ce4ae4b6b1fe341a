// Which Temporal the launcher runs: the CLI's dev server (SQLite file), or the production server on PostgreSQL.
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { startTemporal } from './infra.js';
import type { Supervisor } from './supervisor.js';
import { startTemporalServer } from './temporal-server.js';
import { ensureTemporalServer, ensureTemporalUi } from './temporal-server-tools.js';
import { startTemporalUi } from './temporal-ui.js';
import { ensureTemporal } from './tools.js';

export const TEMPORAL_ENGINES = ['dev', 'server'] as const;
export type TemporalEngine = (typeof TEMPORAL_ENGINES)[number];

/** `--engine NAME` on the command line wins over TEMPORAL_ENGINE. */
export function engineFromArgs(argv: string[], fallback: TemporalEngine): TemporalEngine {
  const at = argv.indexOf('--engine');
  const given = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--engine='))?.slice('--engine='.length);
  if (given === undefined) return fallback;
  if ((TEMPORAL_ENGINES as readonly string[]).includes(given)) return given as TemporalEngine;
  throw new Error(`--engine must be one of ${TEMPORAL_ENGINES.join(', ')} (got "${given ?? ''}")`);
}

export interface EngineStartOptions {
  engine: TemporalEngine;
  supervisor: Supervisor;
  dataDir: string;
  port: number;
  uiPort: number;
  /** The server engine's databases are `<prefix>_temporal` and `<prefix>_temporal_visibility` on this PostgreSQL. */
  postgresUrl: string;
  databasePrefix: string;
  metricsPort?: number;
  codecEndpoint: string;
  output: Writable;
  say: (line: string) => void;
}

/** Starts the engine under the supervisor; returns the names of the processes it runs, in start order. */
export async function startTemporalEngine(options: EngineStartOptions): Promise<string[]> {
  const { supervisor, output, port } = options;
  if (options.engine === 'dev') {
    options.say('starting Temporal dev server…');
    const bin = await ensureTemporal();
    await supervisor.start('temporal', (onSpawn) =>
      startTemporal({
        bin,
        port,
        uiPort: options.uiPort,
        dbFile: join(options.dataDir, 'temporal.db'),
        metricsPort: options.metricsPort,
        codecEndpoint: options.codecEndpoint,
        output,
        onSpawn,
      }),
    );
    return ['temporal'];
  }
  options.say('starting Temporal server (PostgreSQL persistence and visibility)…');
  const [tools, uiBin] = [await ensureTemporalServer(), await ensureTemporalUi()];
  const stateDir = join(options.dataDir, 'temporal-server');
  await supervisor.start('temporal', (onSpawn) =>
    startTemporalServer({
      tools,
      postgresUrl: options.postgresUrl,
      databasePrefix: options.databasePrefix,
      port,
      stateDir,
      metricsPort: options.metricsPort,
      output,
      onSpawn,
    }),
  );
  await supervisor.start('temporal-ui', (onSpawn) =>
    startTemporalUi({
      bin: uiBin,
      port: options.uiPort,
      temporalAddress: `127.0.0.1:${port}`,
      codecEndpoint: options.codecEndpoint,
      stateDir,
      output,
      onSpawn,
    }),
  );
  return ['temporal', 'temporal-ui'];
}
