import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('test', 'info', destination) };
}

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('logs tied to traces', () => {
  it('puts the active span’s trace_id and span_id on every line inside it, and none outside', async () => {
    const exporter = new InMemorySpanExporter();
    telemetry = await startTelemetry({ serviceName: 'test', exporter });
    const { lines, logger } = capture();
    const tracer = trace.getTracer('test');
    const ids = await tracer.startActiveSpan('outer', async (outer) => {
      logger.info('inside');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const inner = tracer.startActiveSpan('inner', (span) => {
        logger.info({ orderId: 'o1' }, 'nested');
        span.end();
        return span.spanContext();
      });
      outer.end();
      return { outer: outer.spanContext(), inner };
    });
    logger.info('after');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.outer.traceId, span_id: ids.outer.spanId });
    expect(lines[1]).toMatchObject({ orderId: 'o1', trace_id: ids.outer.traceId, span_id: ids.inner.spanId });
    expect(lines[0]!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[2]).not.toHaveProperty('trace_id');
    expect(exporter.getFinishedSpans().map((s) => s.spanContext().traceId)).toEqual([
      ids.outer.traceId,
      ids.outer.traceId,
    ]);
  });

  it('logs without trace fields when tracing is off', () => {
    const { lines, logger } = capture();
    logger.info('plain');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
