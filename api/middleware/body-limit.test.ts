import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';
import { buildGateway } from '../test-support/gateway.js';

const fx = useGatewayFixtures();
let server: RunningServer;

beforeAll(async () => {
  server = await startHttpServer(buildGateway(fx.services, fx.issuer).app, 0);
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  connection: string | undefined;
}

/** One request on the agent's single keep-alive socket; rejects when the connection breaks. */
function send(agent: Agent, method: string, path: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    if (body) {
      req.setHeader('content-type', 'application/json');
      req.setHeader('content-length', body.length);
      req.end(body);
    } else req.end();
  });
}

describe('the body limit over a real keep-alive connection', () => {
  it('answers 413 without poisoning the connection: the next requests on it work', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(2_000_000, 'x');
      const rejected = await send(agent, 'POST', '/api/users/register', big);
      expect(rejected.status).toBe(413);
      // The rest of the body was never read: the server says it closes this connection, so the client opens a new one.
      expect(rejected.connection).toBe('close');
      for (let i = 0; i < 3; i++) {
        const next = await send(agent, 'GET', '/api/products?limit=1');
        expect(next.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });
});
