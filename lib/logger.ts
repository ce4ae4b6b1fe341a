import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

const redact = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'accessToken',
  '*.accessToken',
];

/** The active span's ids (OpenTelemetry names), so a log line leads to its trace; nothing outside a span. */
function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId, trace_flags: `0${span.traceFlags.toString(16)}` };
}

/** Structured JSON logs, with trace_id/span_id inside a traced request; secrets are redacted wherever they appear in a logged object. */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: redact, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { service: name },
    mixin: traceFields,
  };
  return destination ? pino(options, destination) : pino(options);
}
