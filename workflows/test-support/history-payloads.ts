// Runs a payload codec over every payload of a fixture (History in protobufjs object form, bytes as base64):
// the capture decrypts what the server stored; the replay test encrypts a fixture to replay it as stored.
import type { Payload, PayloadCodec } from '@temporalio/common';

type FixturePayload = { metadata: Record<string, string>; data?: string };
// Search attributes are indexed by the server, so no SDK ever runs them through a codec.
const NEVER_ENCODED = new Set(['searchAttributes']);
// A marker's details are written by the SDK core itself, except the local activity's result.
const CORE_MARKER_DETAILS = new Set(['data', 'patch_data', 'patchData']);

const isPayload = (node: unknown): node is FixturePayload =>
  typeof node === 'object' &&
  node !== null &&
  typeof (node as FixturePayload).metadata === 'object' &&
  typeof (node as FixturePayload).metadata.encoding === 'string';

const toPayload = ({ metadata, data }: FixturePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: data === undefined ? undefined : Buffer.from(data, 'base64'),
});
const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
const fromPayload = ({ metadata, data }: Payload): FixturePayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  ...(data && data.length > 0 ? { data: b64(data) } : {}),
});

async function mapPayloads(node: unknown, codec: (p: Payload) => Promise<Payload>, parent = ''): Promise<unknown> {
  if (isPayload(node)) return fromPayload(await codec(toPayload(node)));
  if (Array.isArray(node)) return Promise.all(node.map((item) => mapPayloads(item, codec, parent)));
  if (typeof node !== 'object' || node === null) return node;
  const skip = (key: string) =>
    NEVER_ENCODED.has(key) || (parent === 'markerRecordedEventAttributes.details' && CORE_MARKER_DETAILS.has(key));
  const entries = await Promise.all(
    Object.entries(node).map(async ([key, value]) => [
      key,
      skip(key) ? value : await mapPayloads(value, codec, `${parent.split('.').pop()}.${key}`),
    ]),
  );
  return Object.fromEntries(entries);
}

/** The fixture JSON with every payload passed through `codec.encode` or `codec.decode`. */
export async function codeFixture(json: string, codec: PayloadCodec, action: 'encode' | 'decode'): Promise<string> {
  const one = async (payload: Payload) => (await codec[action]([payload]))[0]!;
  return `${JSON.stringify(await mapPayloads(JSON.parse(json), one), null, 1)}\n`;
}
