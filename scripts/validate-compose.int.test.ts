import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const validate = (file: string) => run(process.execPath, ['--import', 'tsx', 'scripts/validate-compose.ts', file]);
const dir = await mkdtemp(join(tmpdir(), 'compose-'));

describe('scripts/validate-compose.ts', () => {
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts docker-compose.yml', async () => {
    const { stdout } = await validate('docker-compose.yml');
    expect(stdout).toContain('valid Compose Specification');
  });

  it.each([
    ['a default secret', (text: string) => text.replace(/\$\{SERVICE_TOKEN:\?[^}]*\}/, '${SERVICE_TOKEN:-change-me}')],
    ['a UI on every interface', (text: string) => text.replace("'127.0.0.1:8080:8080'", "'8080:8080'")],
    [
      'a password in a URL',
      (text: string) => text.replace(/postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@/, 'postgres:pw@'),
    ],
    ['a break of the schema', (text: string) => text.replace('restart: unless-stopped', 'restart: [unless-stopped]')],
  ])('refuses %s', async (_name, mutate) => {
    const original = await readFile('docker-compose.yml', 'utf8');
    const mutated = mutate(original);
    expect(mutated).not.toBe(original);
    const file = join(dir, `${_name.replaceAll(' ', '-')}.yml`);
    await writeFile(file, mutated);
    await expect(validate(file)).rejects.toThrow();
  });
});
