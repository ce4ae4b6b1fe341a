import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchAttributeKeys } from '../../contracts/order-saga.js';
import { temporalReady } from '../../scripts/infra.js';
import { freePort, spawnManaged, waitFor, type ManagedProcess } from '../../scripts/processes.js';
import { ensureHelm, ensureTemporal } from '../../scripts/tools.js';
import { podSpec, renderChart } from './render.js';

const run = promisify(execFile);
const names = Object.values(SearchAttributeKeys).map(({ name }) => name);

// A bare dev server (no search attributes, only `default`), so the scripts have everything to do.
let server: ManagedProcess;
let address: string;
let temporalBin: string;

beforeAll(async () => {
  await ensureHelm();
  temporalBin = await ensureTemporal();
  const port = await freePort();
  address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--headless',
    '--log-level',
    'error',
  ];
  server = spawnManaged('temporal', temporalBin, args);
  await waitFor('Temporal', () => temporalReady(address), 90_000, 300);
}, 1_500_000);

afterAll(() => server?.stop());

/** Runs a shell script as its container would, with the `temporal` CLI on PATH. */
function sh(script: string, env: Record<string, string>) {
  const PATH = `${dirname(temporalBin)}:${process.env.PATH ?? ''}`;
  return run('/bin/sh', ['-c', script], { env: { ...process.env, ...env, PATH, HOME: process.env.HOME ?? '/tmp' } });
}

async function searchAttributes(namespace: string): Promise<string> {
  const args = ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace];
  return (await run(temporalBin, args)).stdout;
}

describe('the scripts that prepare Temporal', () => {
  it("the chart's Job registers the saga's search attributes, and a second run changes nothing", async () => {
    const manifests = await renderChart(['--set', 'secrets.existingSecret=s']);
    const job = manifests.find((m) => m.kind === 'Job' && m.metadata.name.endsWith('-search-attributes'));
    const [container] = podSpec(job!).containers;
    const env = Object.fromEntries(
      (container!.env ?? []).flatMap(({ name, value }) => (value === undefined ? [] : [[name, value]])),
    );
    for (const attempt of [1, 2]) {
      const { stdout } = await sh(container!.args![0]!, { ...env, TEMPORAL_ADDRESS: address });
      if (attempt === 2) expect(stdout.match(/exists/g)).toHaveLength(names.length);
    }
    const listed = await searchAttributes('default');
    for (const name of names) expect(listed).toMatch(new RegExp(`${name}\\s+Keyword`));
  });

  it("compose's setup creates the namespace and its search attributes, idempotently", async () => {
    const script = await readFile('deploy/compose/temporal-setup.sh', 'utf8');
    const env = { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'compose-check' };
    await sh(script, env);
    const { stdout } = await sh(script, env);
    expect(stdout).toContain('namespace compose-check ready');
    const listed = await searchAttributes('compose-check');
    for (const name of names) expect(listed).toMatch(new RegExp(`${name}\\s+Keyword`));
  });
});
