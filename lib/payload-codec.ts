import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const PAYLOAD_KEY_BYTES = 32;

/** Every key that may decrypt, by id; the current one encrypts. */
export interface PayloadKeyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Uint8Array>;
}

/** A payload encrypted under a key id this process does not hold (a key removed too early, or another deployment's). */
export class UnknownPayloadKeyError extends ValueError {
  constructor(readonly keyId: string) {
    super(`Payload encrypted with key "${keyId}", which is not among PAYLOAD_KEYS`);
  }
}

const utf8 = { encoder: new TextEncoder(), decoder: new TextDecoder() };
const text = (value: string) => utf8.encoder.encode(value);
const read = (bytes: Uint8Array | null | undefined) => (bytes ? utf8.decoder.decode(bytes) : undefined);

/** How many IVs one draw from the CSPRNG yields: a draw per IV cost as much as the encryption itself. */
const IVS_PER_DRAW = 256;

/** Fresh random IVs, drawn from the CSPRNG in batches; each is handed out once. */
function ivSource(): () => Buffer {
  let batch = Buffer.alloc(0);
  let next = 0;
  return () => {
    if (next === batch.length) [batch, next] = [randomBytes(IV_BYTES * IVS_PER_DRAW), 0];
    next += IV_BYTES;
    return batch.subarray(next - IV_BYTES, next);
  };
}

/**
 * AES-256-GCM over the whole serialized payload (its metadata too, so the encoding is hidden), with a fresh
 * 96-bit IV per payload and the key id as additional data; unencrypted payloads pass through decode untouched.
 */
export function createEncryptionCodec(keyring: PayloadKeyring): PayloadCodec {
  const keyFor = (id: string) => {
    const key = keyring.keys.get(id);
    if (!key) throw new UnknownPayloadKeyError(id);
    return key;
  };
  const currentKey = keyFor(keyring.currentKeyId);
  const currentKeyId = text(keyring.currentKeyId);
  const encoding = text(ENCRYPTED_ENCODING);
  const nextIv = ivSource();

  const encrypt = (payload: Payload): Payload => {
    const iv = nextIv();
    const cipher = createCipheriv(CIPHER, currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(currentKeyId);
    const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { [METADATA_ENCODING_KEY]: encoding, [KEY_ID_METADATA]: currentKeyId }, data: sealed };
  };

  const decrypt = (payload: Payload): Payload => {
    if (read(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = read(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new ValueError(`Encrypted payload without the ${KEY_ID_METADATA} metadata`);
    const sealed = payload.data ?? new Uint8Array();
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new ValueError('Encrypted payload is too short');
    const decipher = createDecipheriv(CIPHER, keyFor(keyId), sealed.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(text(keyId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`Encrypted payload failed authentication under key "${keyId}" (tampered or wrong key)`);
    }
    const decoded = proto.temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  };

  return {
    encode: async (payloads) => payloads.map(encrypt),
    decode: async (payloads) => payloads.map(decrypt),
  };
}
