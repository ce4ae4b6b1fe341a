import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('bootstrap without Go', () => {
  it('says in one clear message what to install, with no stack trace', async () => {
    const emptyCache = await mkdtemp(join(tmpdir(), 'no-tools-'));
    const env = {
      ...process.env,
      DURABLE_SHOP_CACHE: emptyCache,
      GO: '/nonexistent/go',
      TEMPORAL_BIN: '',
      FERRETDB_BIN: '',
      TEMPORAL_ADDRESS: '',
      MONGO_URL: '',
    };
    const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/bootstrap.ts'], { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/Go is required/);
    expect(failure?.stderr).toMatch(/Install Go 1\.25 or newer/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
