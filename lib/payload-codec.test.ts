import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createEncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, UnknownPayloadKeyError } from './payload-codec.js';
import { DEV_PAYLOAD_KEYS, payloadKeyring } from './payload-keys.js';

const key = () => randomBytes(32).toString('base64');
const [k1, k2] = [key(), key()];
const order = { customerId: 'u_ada', items: [{ productId: 'p-1', quantity: 2 }], paymentMethod: 'tok_visa' };
const plain = defaultPayloadConverter.toPayload(order);
const meta = (payload: Payload, name: string) => new TextDecoder().decode(payload.metadata?.[name] ?? undefined);

describe('the payload encryption codec', () => {
  it('round-trips a payload and hides its data and its encoding', async () => {
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1}` }));
    const [sealed] = await codec.encode([plain]);
    expect(meta(sealed!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(sealed!, KEY_ID_METADATA)).toBe('k1');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toMatch(/u_ada|p-1|tok_visa|json/);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(order);
  });

  it('uses a fresh IV: the same payload never encrypts to the same bytes', async () => {
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1}` }));
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('never hands out an IV twice, across many batches of IVs drawn at once', async () => {
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1}` }));
    const sealed = await codec.encode(Array.from({ length: 2000 }, () => plain));
    const ivs = new Set(sealed.map((p) => Buffer.from(p.data!.subarray(0, 12)).toString('hex')));
    expect(ivs.size).toBe(2000);
    const opened = await codec.decode(sealed);
    expect(opened.every((p) => defaultPayloadConverter.fromPayload(p) !== undefined)).toBe(true);
  });

  it('rotates: after the current key changes, payloads of the old key still decrypt', async () => {
    const before = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1}` }));
    const [old] = await before.encode([plain]);
    const after = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1},k2:${k2}`, PAYLOAD_KEY_ID: 'k2' }));
    const [fresh] = await after.encode([plain]);
    expect(meta(fresh!, KEY_ID_METADATA)).toBe('k2');
    const opened = await after.decode([old!, fresh!]);
    expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([order, order]);
    // Negative control: the old codec cannot read the new key's payloads.
    await expect(before.decode([fresh!])).rejects.toThrow(UnknownPayloadKeyError);
  });

  it('fails clearly on a key id it does not hold', async () => {
    const [sealed] = await createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `gone:${k1}` })).encode([plain]);
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k2:${k2}` }));
    await expect(codec.decode([sealed!])).rejects.toThrow(/key "gone", which is not among PAYLOAD_KEYS/);
  });

  it('refuses a tampered ciphertext, and a key id swapped onto another key', async () => {
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: `k1:${k1},k2:${k2}` }));
    const [sealed] = await codec.encode([plain]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toThrow(/failed authentication/);
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication under key "k2"/);
  });

  it('lets unencrypted payloads through decode (histories from before encryption)', async () => {
    const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: DEV_PAYLOAD_KEYS }));
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});
