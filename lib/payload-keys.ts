import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { z } from 'zod';
import { ConfigError, DEV_PAYLOAD_KEY } from './config.js';
import { createEncryptionCodec, PAYLOAD_KEY_BYTES, type PayloadKeyring } from './payload-codec.js';

/** The example keyring every laptop shares: refused when NODE_ENV=production (lib/config.ts). */
export const DEV_PAYLOAD_KEYS = `dev:${DEV_PAYLOAD_KEY}`;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

function parseEntries(value: string): { entries: [string, Uint8Array][]; problems: string[] } {
  const entries: [string, Uint8Array][] = [];
  const problems: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const [id = '', material = '', ...rest] = entry.split(':');
    const key = Buffer.from(material, 'base64');
    if (!KEY_ID.test(id) || rest.length > 0)
      problems.push(`"${id}": each entry is <id>:<base64 key>, id [A-Za-z0-9._-]`);
    else if (key.length !== PAYLOAD_KEY_BYTES || key.toString('base64') !== material)
      problems.push(`key "${id}": must be ${PAYLOAD_KEY_BYTES} bytes in standard base64 (openssl rand -base64 32)`);
    else if (entries.some(([seen]) => seen === id)) problems.push(`key "${id}": listed twice`);
    else entries.push([id, key]);
  }
  return { entries, problems };
}

/** Payload encryption keys (gateway, worker, and every tool that reads or writes workflow payloads). */
export const payloadKeyFields = {
  PAYLOAD_KEYS: z
    .string()
    .default(DEV_PAYLOAD_KEYS)
    .superRefine((value, ctx) => {
      for (const message of parseEntries(value).problems) ctx.addIssue({ code: 'custom', message });
    }),
  // Empty counts as unset (compose passes `${PAYLOAD_KEY_ID:-}`).
  PAYLOAD_KEY_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(KEY_ID).optional()),
};
export type PayloadKeySettings = { PAYLOAD_KEYS: string; PAYLOAD_KEY_ID?: string | undefined };

/** The keyring of validated settings: PAYLOAD_KEY_ID (default: the first key listed) encrypts, every key decrypts. */
export function payloadKeyring(settings: PayloadKeySettings): PayloadKeyring {
  const { entries, problems } = parseEntries(settings.PAYLOAD_KEYS);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `PAYLOAD_KEYS: ${problem}`));
  const currentKeyId = settings.PAYLOAD_KEY_ID ?? entries[0]![0];
  const keys = new Map(entries);
  if (!keys.has(currentKeyId)) throw new ConfigError([`PAYLOAD_KEY_ID: "${currentKeyId}" is not among PAYLOAD_KEYS`]);
  return { currentKeyId, keys };
}

/** The module exporting `failureConverter`, by path: a .ts source under tsx, compiled .js in the image. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './failure-converter.ts' : './failure-converter.js', import.meta.url),
);

/**
 * What every Temporal Client and Worker takes (and the workflow bundle, FAILURE_CONVERTER_PATH): the default
 * payload converter, failure messages encoded as payloads, then encryption.
 */
export function payloadDataConverter(settings: PayloadKeySettings = { PAYLOAD_KEYS: DEV_PAYLOAD_KEYS }): DataConverter {
  return {
    failureConverterPath: FAILURE_CONVERTER_PATH,
    payloadCodecs: [createEncryptionCodec(payloadKeyring(settings))],
  };
}
