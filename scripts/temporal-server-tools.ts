// The production Temporal engine, built once per machine like the other tools (scripts/tools.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goBinary, logTool, toolCacheDir } from './tools.js';

const run = promisify(execFile);

const TEMPORAL_SERVER_VERSION = 'v1.32.2';
// The server's go.mod asks for a newer Go than the machine's; the module proxy serves this toolchain.
const SERVER_GOTOOLCHAIN = 'go1.27.3';
// The Web UI the Temporal CLI v1.5.1 embeds, built as its own program to sit beside the full server.
const UI_SERVER_VERSION = 'v2.42.1';

export interface TemporalServerTools {
  /** `server start`: frontend, history, matching and worker services in one process. */
  server: string;
  /** temporal-sql-tool: creates and migrates the persistence and visibility schemas. */
  sqlTool: string;
}

/** Temporal server and its SQL tool (which embeds the schemas it migrates to) from `go.temporal.io/server`. */
export async function ensureTemporalServer(): Promise<TemporalServerTools> {
  const dir = join(toolCacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const tools = { server: join(dir, 'server'), sqlTool: join(dir, 'sql') };
  if (Object.values(tools).every((path) => existsSync(path))) return tools;
  const go = await goBinary();
  const env = { ...process.env, GOTOOLCHAIN: SERVER_GOTOOLCHAIN, GOFLAGS: '-buildvcs=false', GOBIN: dir };
  logTool(`building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool (first use only; about 10 minutes)…`);
  await mkdir(dir, { recursive: true });
  const packages = ['cmd/server', 'cmd/tools/sql'].map(
    (pkg) => `go.temporal.io/server/${pkg}@${TEMPORAL_SERVER_VERSION}`,
  );
  await run(go, ['install', ...packages], { env, maxBuffer: 64 * 1024 * 1024 });
  logTool(`Temporal server ready in ${dir}`);
  return tools;
}

/** The Temporal Web UI server, for an engine that does not serve one itself. */
export async function ensureTemporalUi(): Promise<string> {
  const dir = join(toolCacheDir(), `temporal-ui-${UI_SERVER_VERSION}`);
  const bin = join(dir, 'server');
  if (existsSync(bin)) return bin;
  const go = await goBinary();
  logTool(`building Temporal Web UI ${UI_SERVER_VERSION} (first use only)…`);
  await mkdir(dir, { recursive: true });
  await run(go, ['install', `github.com/temporalio/ui-server/v2/cmd/server@${UI_SERVER_VERSION}`], {
    env: { ...process.env, GOBIN: dir, GOFLAGS: '-buildvcs=false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  logTool(`Temporal Web UI ready at ${bin}`);
  return bin;
}
