import { Writable } from 'node:stream';
import { prettyFactory } from 'pino-pretty';

const PREFIXED = /^(\[[^\]]+\] )(\{.*\})$/;

/** Makes prefixed pino JSON lines readable on a terminal; other lines pass through unchanged. */
export function prettyOutput(target: NodeJS.WritableStream): Writable {
  if (process.env.LOG_FORMAT === 'json') return target as Writable;
  const prettify = prettyFactory({
    colorize: Boolean((target as { isTTY?: boolean }).isTTY),
    ignore: 'pid,hostname,service,name',
    translateTime: 'HH:MM:ss',
  });
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      const match = PREFIXED.exec(text.trimEnd());
      if (!match) {
        target.write(text);
        return done();
      }
      try {
        target.write(`${match[1]}${prettify(JSON.parse(match[2]!))}`);
      } catch {
        target.write(text);
      }
      done();
    },
  });
}
