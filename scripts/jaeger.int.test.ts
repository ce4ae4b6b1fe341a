import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTrace, findSpans, jaegerConfig, startJaeger, type RunningJaeger } from './jaeger.js';
import { freePort, waitFor } from './processes.js';
import { ensureJaeger } from './tools.js';

let jaeger: RunningJaeger;
let configDir: string;
const output = new PassThrough();
const logs: string[] = [];
output.on('data', (chunk: Buffer) => logs.push(chunk.toString()));

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'jaeger-test-'));
  const [otlp, query, health] = [await freePort(), await freePort(), await freePort()];
  jaeger = await startJaeger({ bin: await ensureJaeger(), ports: { otlp, query, health }, configDir, output });
}, 1_800_000);

afterAll(async () => {
  await jaeger?.process.stop(5000);
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** One OTLP/HTTP JSON export, as an SDK's exporter sends it: `service` spans, each optionally a child. */
async function exportSpans(
  service: string,
  spans: { traceId: string; spanId: string; parent?: string; kind: number }[],
) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'jaeger.test' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parent ?? '',
              name: `op-${s.spanId}`,
              kind: s.kind,
              startTimeUnixNano: String(nowNs),
              endTimeUnixNano: String(nowNs + 5_000_000n),
              attributes: [{ key: 'http.target', value: { stringValue: '/things' } }],
            })),
          },
        ],
      },
    ],
  };
  const response = await fetch(`${jaeger.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe('Jaeger v2 (built from the Go module)', () => {
  it('listens on loopback only, on the ports it is given', () => {
    const config = jaegerConfig({ ports: { otlp: 1, query: 2, health: 3 } });
    const endpoints = JSON.stringify(config).match(/"endpoint":"[^"]+"/g);
    expect(endpoints).toEqual([
      '"endpoint":"127.0.0.1:2"',
      '"endpoint":"127.0.0.1:0"',
      '"endpoint":"127.0.0.1:3"',
      '"endpoint":"127.0.0.1:1"',
    ]);
  });

  it('stores spans received over OTLP/HTTP and answers them by trace id, two services in one trace', async () => {
    const traceId = hex(16);
    const [root, child] = [hex(8), hex(8)];
    await exportSpans('svc-front', [{ traceId, spanId: root, kind: 2 }]);
    await exportSpans('svc-back', [{ traceId, spanId: child, parent: root, kind: 2 }]);
    let spans: Awaited<ReturnType<typeof fetchTrace>> = [];
    await waitFor(
      'both spans in Jaeger',
      async () => (spans = await fetchTrace(jaeger.queryUrl, traceId)).length === 2,
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get(root)).toMatchObject({ service: 'svc-front', kind: 2, traceId, parentSpanId: undefined });
    expect(byId.get(child)).toMatchObject({ service: 'svc-back', parentSpanId: root, name: `op-${child}` });
    expect((await findSpans(jaeger.queryUrl, 'svc-back')).map((s) => s.spanId)).toContain(child);
  });

  it('answers an unknown trace with no spans, and an unknown service with none', async () => {
    expect(await fetchTrace(jaeger.queryUrl, hex(16))).toEqual([]);
    expect(await findSpans(jaeger.queryUrl, 'no-such-service')).toEqual([]);
    expect(logs.join('')).not.toMatch(/"level":"error"|\terror\t/);
  });
});
