// CPU per payload of the encryption codec (lib/payload-codec.ts) on a payload the size of an activity's input:
// encode alone, then encode and decode. Prints figures, asserts nothing.
//   npx tsx bench/payload-codec.ts [payloads=20000] [rounds=3]
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { createEncryptionCodec } from '../lib/payload-codec.js';

const total = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const codec = createEncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
const payload = defaultPayloadConverter.toPayload({
  orderId: 'ord_3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  requestId: 'req_0a1b2c3d4e5f',
  items: [{ productId: 'p_3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', quantity: 2 }],
  amountCents: 2400,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
});
const batch = Array.from({ length: 100 }, () => payload);
const microseconds = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / total).toFixed(2);

for (let i = 0; i < 50; i++) await codec.decode(await codec.encode(batch)); // warm-up
for (let round = 1; round <= rounds; round++) {
  const start = process.cpuUsage();
  const sealed = [];
  for (let i = 0; i < total / batch.length; i++) sealed.push(await codec.encode(batch));
  const encoded = process.cpuUsage(start);
  for (const payloads of sealed) await codec.decode(payloads);
  const both = process.cpuUsage(start);
  console.log(
    `round ${round}: encode ${microseconds(encoded)} µs, encode + decode ${microseconds(both)} µs per payload`,
  );
}
