import { ESLint } from 'eslint';
import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The lint rules that keep workflow code deterministic and every folder within its layer must actually bite.
const probe = `
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { createActivities } from '../activities/activities.js';
import type { StepInput } from '../activities/activities.js';
import { proxyActivities } from '@temporalio/workflow';
import { SagaStep } from '../contracts/order-saga.js';
export function bad(): unknown {
  return [readFileSync, Connection, createActivities, proxyActivities, SagaStep, Math.random(), Date.now(), process.env] as unknown as StepInput;
}
`;

// Only the boundary rules, without type information: they read imports, not types, and skipping the
// TypeScript program keeps this a unit test of seconds.
const boundaryRules = new Set([
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-properties',
  'no-restricted-globals',
  'import-x/no-cycle',
]);
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => boundaryRules.has(ruleId),
});

/** Lints a probe file written inside the project (where the folder rules apply); it is removed right after. */
async function lintProbe(folder: string, code: string): Promise<ESLint.LintResult | undefined> {
  const file = `${folder}/lint-probe-${process.pid}.ts`;
  await writeFile(file, code);
  const [result] = await eslint.lintFiles([file]).finally(() => rm(file, { force: true }));
  return result;
}

describe('lint boundaries', () => {
  it('refuses Node built-ins, other packages, runtime activity imports, Math.random, Date.now and process', async () => {
    const result = await lintProbe('workflows', probe);
    const messages = result!.messages.map((m) => `${m.line}:${m.ruleId}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '2:@typescript-eslint/no-restricted-imports',
        '3:@typescript-eslint/no-restricted-imports',
        '4:@typescript-eslint/no-restricted-imports',
        '9:no-restricted-properties',
        '9:no-restricted-globals',
      ]),
    );
    const allowed = result!.messages.filter(
      (m) => [5, 6, 7].includes(m.line) && m.ruleId === '@typescript-eslint/no-restricted-imports',
    );
    expect(allowed).toEqual([]);
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-properties')).toHaveLength(2);
  }, 60_000);

  it('refuses a service importing another service or the saga', async () => {
    const code = [
      "import { createProductsApp } from '../products/app.js';",
      "import { createOrdersApp } from '../../services/orders/app.js';",
      "import { createActivities } from '../../activities/activities.js';",
      "import { ErrorCode } from '../../contracts/problem.js';",
      'export const all = [createProductsApp, createOrdersApp, createActivities, ErrorCode];',
    ].join('\n');
    const result = await lintProbe('services/users', code);
    const restricted = result!.messages
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.line);
    expect(restricted).toEqual([1, 2, 3]);
  }, 60_000);

  /** Lints a probe of `import * as m<line> from '<spec>'` lines; returns the lines the boundary rule refused. */
  async function refusedImports(folder: string, specs: string[]): Promise<number[]> {
    const code = [
      ...specs.map((spec, i) => `import * as m${i + 1} from '${spec}';`),
      `export const all = [${specs.map((_, i) => `m${i + 1}`).join(', ')}];`,
    ].join('\n');
    const result = await lintProbe(folder, code);
    return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.line);
  }

  it('keeps contracts/ to zod and other contracts', async () => {
    const refused = await refusedImports('contracts', ['zod', './common.js', '../lib/problem.js', 'hono']);
    expect(refused).toEqual([3, 4]);
  }, 60_000);

  it('keeps lib/ free of processes and the saga', async () => {
    const refused = await refusedImports('lib', [
      '../contracts/problem.js',
      './logger.js',
      '../api/app.js',
      '../services/users/app.js',
      '../workflows/saga.js',
      '../activities/activities.js',
      '../workers/worker.js',
    ]);
    expect(refused).toEqual([3, 4, 5, 6, 7]);
  }, 60_000);

  it('keeps activities/ off the gateway, the services and the worker', async () => {
    const refused = await refusedImports('activities', [
      '../lib/service-transport.js',
      '../contracts/orders.js',
      '../api/app.js',
      '../services/orders/app.js',
      '../workers/worker.js',
    ]);
    expect(refused).toEqual([3, 4, 5]);
  }, 60_000);

  it('keeps api/ off the services, the saga, the activities and the worker', async () => {
    const refused = await refusedImports('api', [
      '../contracts/order-saga.js',
      '../lib/logger.js',
      '../services/users/app.js',
      '../workflows/saga.js',
      '../activities/activities.js',
      '../workers/worker.js',
    ]);
    expect(refused).toEqual([3, 4, 5, 6]);
  }, 60_000);

  /** Lints a probe in lib/ importing a peer module (`peer`, where PROBE names the probe); returns the cycle lines. */
  async function cycleLines(name: string, peer: string): Promise<number[]> {
    const peerFile = `lib/${name}-${process.pid}.ts`;
    await writeFile(peerFile, peer.replace('PROBE', `./lint-probe-${process.pid}.js`));
    const code = `import { b } from './${name}-${process.pid}.js';\nexport const a = (): unknown => b;\n`;
    const result = await lintProbe('lib', code).finally(() => rm(peerFile, { force: true }));
    return result!.messages.filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => m.line);
  }

  it('refuses an import cycle anywhere; a type-only import does not make one', async () => {
    const runtime = "import { a } from 'PROBE';\nexport const b = (): unknown => a;\n";
    expect(await cycleLines('cycle-peer', runtime)).toEqual([1]);
    const typeOnly = "import type { a } from 'PROBE';\nexport type A = typeof a;\nexport const b = 1;\n";
    expect(await cycleLines('type-cycle-peer', typeOnly)).toEqual([]);
  }, 60_000);

  it('keeps workers/ off the gateway and the services', async () => {
    const refused = await refusedImports('workers', [
      '../activities/activities.js',
      '../lib/logger.js',
      '../api/app.js',
      '../services/products/app.js',
    ]);
    expect(refused).toEqual([3, 4]);
  }, 60_000);
});
