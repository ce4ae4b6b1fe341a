import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createEncryptionCodec } from '../../lib/payload-codec.js';
import { DEV_PAYLOAD_KEYS, payloadKeyring } from '../../lib/payload-keys.js';
import { SERVICE_TOKEN } from '../test-support/fake-services.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';

const fx = useGatewayFixtures();
const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: DEV_PAYLOAD_KEYS }));
const UI = 'http://127.0.0.1:8233';
const gateway = (allowAnonymous = false) =>
  buildGateway(fx.services, fx.issuer, {}, { codecServer: { codec, serviceToken: SERVICE_TOKEN, allowAnonymous } }).app;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const plain = { metadata: { encoding: b64('json/plain') }, data: b64('{"customerId":"u_ada"}') };
const encode = (headers: Record<string, string>) =>
  gateway().request('/codec/encode', jsonRequest('POST', { payloads: [plain] }, headers));

describe('the codec server', () => {
  it('encodes and decodes for an admin and for the service credential', async () => {
    const sealed = await readBody(await encode(fx.auth.root!));
    expect(Buffer.from(sealed.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(JSON.stringify(sealed)).not.toContain(plain.data);
    const res = await gateway().request(
      '/codec/decode',
      jsonRequest('POST', sealed, { authorization: `Bearer ${SERVICE_TOKEN}` }),
    );
    expect(res.status).toBe(200);
    const opened = await readBody(res);
    expect(opened).toEqual({ payloads: [plain] });
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(plain.data, 'base64') };
    expect(defaultPayloadConverter.fromPayload(payload)).toEqual({ customerId: 'u_ada' });
  });

  it('refuses no credential (401), a customer (403) and a wrong service token (401), as problems', async () => {
    const none = await encode({});
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await readBody(none)).toMatchObject({ code: 'UNAUTHORIZED' });
    const customer = await encode(fx.auth.alice!);
    expect([customer.status, (await readBody(customer)).code]).toEqual([403, 'FORBIDDEN']);
    expect((await encode({ authorization: `Bearer ${SERVICE_TOKEN}x` })).status).toBe(401);
  });

  it('decodes without a credential only when told to (the dev Web UI)', async () => {
    const body = jsonRequest('POST', { payloads: [plain] });
    expect((await gateway(false).request('/codec/decode', body)).status).toBe(401);
    expect((await gateway(true).request('/codec/decode', jsonRequest('POST', { payloads: [plain] }))).status).toBe(200);
  });

  it('answers 422 PAYLOAD_UNDECODABLE for a tampered payload and 400 for a malformed one', async () => {
    const sealed = await readBody(await encode(fx.auth.root!));
    const data = Buffer.from(sealed.payloads[0].data, 'base64');
    data[20]! ^= 1;
    sealed.payloads[0].data = data.toString('base64');
    const tampered = await gateway().request('/codec/decode', jsonRequest('POST', sealed, fx.auth.root));
    expect([tampered.status, (await readBody(tampered)).code]).toEqual([422, 'PAYLOAD_UNDECODABLE']);
    const malformed = await gateway().request(
      '/codec/decode',
      jsonRequest('POST', { payloads: [{ data: '%%' }] }, fx.auth.root),
    );
    expect(malformed.status).toBe(400);
  });

  it('answers the Web UI preflight for its origin only, with credentials', async () => {
    const preflight = (origin: string) =>
      gateway().request('/codec/decode', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
