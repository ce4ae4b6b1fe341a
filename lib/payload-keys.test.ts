import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig, processFields } from './config.js';
import { DEV_PAYLOAD_KEYS, payloadKeyFields, payloadKeyring } from './payload-keys.js';

const schema = z.object({ ...processFields, ...payloadKeyFields });
const token = 'x'.repeat(32);
const key = randomBytes(32).toString('base64');

describe('payload key settings', () => {
  it('defaults to the documented dev key, which production refuses', () => {
    expect(parseConfig(schema, { SERVICE_TOKEN: token }).PAYLOAD_KEYS).toBe(DEV_PAYLOAD_KEYS);
    expect(() => parseConfig(schema, { SERVICE_TOKEN: token, NODE_ENV: 'production' })).toThrow(
      /PAYLOAD_KEYS: is a documented example secret/,
    );
    // Also when the dev key hides among real ones.
    const mixed = { SERVICE_TOKEN: token, NODE_ENV: 'production', PAYLOAD_KEYS: `k1:${key},${DEV_PAYLOAD_KEYS}` };
    expect(() => parseConfig(schema, mixed)).toThrow(/PAYLOAD_KEYS: is a documented example secret/);
    const own = { SERVICE_TOKEN: token, NODE_ENV: 'production', PAYLOAD_KEYS: `k1:${key}` };
    expect(parseConfig(schema, own).PAYLOAD_KEYS).toBe(`k1:${key}`);
  });

  it.each([
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, /32 bytes/],
    ['no id', key, /<id>:<base64 key>/],
    ['an id twice', `k1:${key},k1:${key}`, /listed twice/],
  ])('refuses %s', (_, value, message) => {
    expect(() => parseConfig(schema, { SERVICE_TOKEN: token, PAYLOAD_KEYS: value })).toThrow(message);
  });

  it('encrypts with PAYLOAD_KEY_ID, else the first key, and refuses an id that is not listed', () => {
    const two = `a:${key},b:${randomBytes(32).toString('base64')}`;
    expect(payloadKeyring({ PAYLOAD_KEYS: two }).currentKeyId).toBe('a');
    expect(payloadKeyring({ PAYLOAD_KEYS: two, PAYLOAD_KEY_ID: 'b' }).currentKeyId).toBe('b');
    expect(() => payloadKeyring({ PAYLOAD_KEYS: two, PAYLOAD_KEY_ID: 'c' })).toThrow(ConfigError);
  });
});
