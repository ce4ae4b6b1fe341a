import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { startFerretDb, startTemporal, ensureSearchAttributes } from '../scripts/infra.js';
import { freePort, type ManagedProcess } from '../scripts/processes.js';
import { startTemporalServer } from '../scripts/temporal-server.js';
import { ensureTemporalServer, ensureTemporalUi } from '../scripts/temporal-server-tools.js';
import { startTemporalUi } from '../scripts/temporal-ui.js';
import { ensureFerretDb, ensureTemporal } from '../scripts/tools.js';
import { databaseUrl } from '../scripts/databases.js';
import { dropDatabasesWithPrefix } from './support/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    /** The dev server's Prometheus endpoint; empty when TEMPORAL_ADDRESS names an outside server. */
    temporalMetricsUrl: string;
    mongoUrl: string;
    postgresUrl: string;
    runId: string;
    logDir: string;
  }
}

type Servers = { context: ProvidedContext; stop: () => Promise<void> };
/** The integration and e2e projects each run this setup; a run of both shares one set of servers. */
const shared = globalThis as { durableShopTestServers?: { users: number; servers: Promise<Servers> } };

export default async function setup(project: TestProject) {
  const share = (shared.durableShopTestServers ??= { users: 0, servers: startServers() });
  share.users += 1;
  const { context, stop } = await share.servers;
  for (const [key, value] of Object.entries(context)) project.provide(key as keyof ProvidedContext, value);
  return async () => {
    share.users -= 1;
    if (share.users > 0) return;
    delete shared.durableShopTestServers;
    await stop();
  };
}

/**
 * One real Temporal (the dev server; TEMPORAL_ENGINE=server: the production server on PostgreSQL) and one FerretDB for the whole run (reused when TEMPORAL_ADDRESS /
 * MONGO_URL point at running servers). PostgreSQL databases are made per test file and dropped here.
 */
async function startServers(): Promise<Servers> {
  const runId = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const logDir = join(process.cwd(), '.data', 'test-logs', runId);
  await mkdir(logDir, { recursive: true });
  const started: ManagedProcess[] = [];

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUiUrl = process.env.TEMPORAL_UI_URL ?? '';
  let temporalMetricsUrl = '';
  if (!temporalAddress) {
    const [port, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const output = createWriteStream(join(logDir, 'temporal.log'));
    if (process.env.TEMPORAL_ENGINE === 'server') {
      const stateDir = join(logDir, 'temporal-server');
      const [tools, uiBin] = [await ensureTemporalServer(), await ensureTemporalUi()];
      const server = { tools, postgresUrl, databasePrefix: runId, port, stateDir, metricsPort, output };
      started.push(await startTemporalServer(server));
      const temporalAddress = `127.0.0.1:${port}`;
      started.push(await startTemporalUi({ bin: uiBin, port: uiPort, temporalAddress, stateDir, output }));
    } else {
      started.push(await startTemporal({ bin: await ensureTemporal(), port, uiPort, metricsPort, output }));
    }
    temporalAddress = `127.0.0.1:${port}`;
    temporalUiUrl = `http://127.0.0.1:${uiPort}`;
    temporalMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  } else {
    await ensureSearchAttributes(temporalAddress);
  }

  let mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) {
    const port = await freePort();
    const ferretPg = databaseUrl(postgresUrl, `${runId}_ferretdb`);
    const output = createWriteStream(join(logDir, 'ferretdb.log'));
    started.push(
      await startFerretDb({
        bin: await ensureFerretDb(),
        port,
        postgresUrl: ferretPg,
        stateDir: join(logDir, 'ferretdb-state'),
        output,
      }),
    );
    mongoUrl = `mongodb://127.0.0.1:${port}/`;
  }

  const context = { temporalAddress, temporalUiUrl, temporalMetricsUrl, mongoUrl, postgresUrl, runId, logDir };
  const stop = async () => {
    await Promise.all(started.reverse().map((p) => p.stop()));
    await dropDatabasesWithPrefix(postgresUrl, runId);
    if (!process.env.KEEP_TEST_LOGS) await rm(logDir, { recursive: true, force: true });
  };
  return { context, stop };
}
