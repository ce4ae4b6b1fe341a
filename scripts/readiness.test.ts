import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForDependency, waitUntilReady } from './readiness.js';

// Real HTTP servers answering /readyz as our processes do; only the clock is short.
const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function serve(answer: () => { status: number; body?: unknown }): Promise<string> {
  const server = createServer((_request, response) => {
    const { status, body } = answer();
    response.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(body ?? {}));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
}

const waitingFor = (down: string[]) => ({ status: 503, body: { code: 'SERVICE_UNAVAILABLE', down } });

describe('waitUntilReady', () => {
  it('waits past its deadline while the process says a dependency is down, and says so', async () => {
    const started = Date.now();
    const url = await serve(() => (Date.now() - started < 1_500 ? waitingFor(['postgres']) : { status: 200 }));
    const lines: string[] = [];
    await waitUntilReady('orders', url, {
      timeoutMs: 300,
      intervalMs: 50,
      report: (l) => lines.push(l),
      reportEveryMs: 500,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(lines[0]).toMatch(/^orders waits for postgres \(down; 0 s so far\)$/);
    expect(lines.at(-1)).toMatch(/^orders is ready \(waited \d+ s for a dependency\)$/);
  });

  it('fails after its deadline when the process answers not-ready without naming a dependency, or nothing at all', async () => {
    const failing = await serve(() => ({ status: 500 }));
    await expect(waitUntilReady('api', failing, { timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(
      /api not ready after 300 ms: HTTP 500/,
    );
    const nobody = failing.replace(/:\d+\//, ':1/');
    await expect(waitUntilReady('api', nobody, { timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(/not ready after/);
  });
});

describe('waitForDependency', () => {
  it('retries until the dependency answers, saying once what it waits for', async () => {
    let calls = 0;
    const lines: string[] = [];
    const result = await waitForDependency(
      'PostgreSQL',
      async () => {
        if (++calls < 3) throw new Error('connect ECONNREFUSED');
        return 'up';
      },
      (line) => lines.push(line),
    );
    expect(result).toBe('up');
    expect(lines).toEqual(['waiting for PostgreSQL: connect ECONNREFUSED', expect.stringMatching(/^PostgreSQL is up/)]);
  });
});
