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

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: redact, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { service: name },
  };
  return destination ? pino(options, destination) : pino(options);
}
