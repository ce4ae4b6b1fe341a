import { ESLint } from 'eslint';
import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The lint rules that keep workflow code deterministic and services apart must actually bite.
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

/** Type-aware lint needs the file on disk, inside the project; it is removed right after. */
async function lintProbe(folder: string, code: string): Promise<ESLint.LintResult | undefined> {
  const file = `${folder}/lint-probe-${process.pid}.ts`;
  await writeFile(file, code);
  const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([file]).finally(() => rm(file, { force: true }));
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
});
