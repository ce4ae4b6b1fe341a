// The Temporal Web UI as its own process, for the production engine (the dev server serves its own).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { httpOk, spawnManaged, waitFor, type ManagedProcess } from './processes.js';

export interface TemporalUiOptions {
  bin: string;
  port: number;
  /** The frontend it reads workflows from. */
  temporalAddress: string;
  /** The codec server it decodes payloads with (`<endpoint>/decode`). */
  codecEndpoint?: string;
  /** Where its config file is written. */
  stateDir: string;
  output?: Writable;
  onSpawn?: (proc: ManagedProcess) => void;
}

/** The settings the dev server gives its embedded UI (CLI v1.5.1), as the UI server's config file (JSON is YAML). */
function uiConfig(options: TemporalUiOptions) {
  return {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: 'default',
    cors: { cookieInsecure: true },
    codec: { endpoint: options.codecEndpoint ?? '' },
    hideLogs: true,
  };
}

export async function startTemporalUi(options: TemporalUiOptions): Promise<ManagedProcess> {
  const configDir = join(options.stateDir, 'ui-config');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'base.yaml'), JSON.stringify(uiConfig(options), null, 2));
  const args = ['--root', options.stateDir, '--config', 'ui-config', 'start'];
  const proc = spawnManaged('temporal-ui', options.bin, args, { output: options.output });
  options.onSpawn?.(proc);
  await Promise.race([
    waitFor('Temporal Web UI', () => httpOk(`http://127.0.0.1:${options.port}/`), 60_000, 300),
    proc.exited.then((code) => Promise.reject(new Error(`Temporal Web UI exited early (${code})`))),
  ]);
  return proc;
}
