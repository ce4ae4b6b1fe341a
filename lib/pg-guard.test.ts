import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pgModule = fileURLToPath(new URL('./pg.ts', import.meta.url));
const loggerModule = fileURLToPath(new URL('./logger.ts', import.meta.url));

/** A process whose socket without an `error` listener is reset by its peer, as postgres.js leaves them. */
function resetSocket(withPostgresClient: boolean): Promise<{ code: number; out: string }> {
  const script = `
    import net from 'node:net';
    import { createPostgresClient } from ${JSON.stringify(pgModule)};
    import { createLogger } from ${JSON.stringify(loggerModule)};
    if (${withPostgresClient}) createPostgresClient('postgres://127.0.0.1:1/none', { max: 1 }, createLogger('guard', 'warn'));
    const server = net.createServer((socket) => setTimeout(() => socket.resetAndDestroy(), 100)).listen(0, '127.0.0.1', () => {
      net.connect(server.address().port, '127.0.0.1');
      setTimeout(() => { console.log('alive'); process.exit(0); }, 500);
    });`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('the postgres.js guard', () => {
  it('survives a reset of a socket the driver released, which otherwise kills the process', async () => {
    const guarded = await resetSocket(true);
    expect(guarded.out).toContain('a socket postgres.js had released was reset');
    expect(guarded).toMatchObject({ code: 0 });
    expect(guarded.out).toContain('alive');
    // Negative control: without the guard, the same reset is an uncaught exception.
    const bare = await resetSocket(false);
    expect(bare.code).not.toBe(0);
    expect(bare.out).toContain('ECONNRESET');
  }, 30_000);
});
