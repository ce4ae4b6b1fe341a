import { Client, Connection } from '@temporalio/client';
import { createApiClient } from '../test/support/api.js';
const api = createApiClient('http://127.0.0.1:3000');
const admin = await api.login('admin@example.com', 'admin-password');
const product = await api.createProduct(admin, { sku: `TL-${Date.now()}`, name: 'TL', priceCents: 100, stock: 1000 });
const buyer = await api.registerAndLogin(`tl-${Date.now()}@example.com`, 'bench-pw-1');
const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:7233' }) });
for (let i = 0; i < 6; i++) {
  const t0 = Date.now();
  const placed = await api.placeOrder(buyer.token, [{ productId: product.id, quantity: 1 }]);
  const tAccept = Date.now() - t0;
  await client.workflow.getHandle(placed.body.id).result();
  const tDone = Date.now() - t0;
  const history = await client.workflow.getHandle(placed.body.id).fetchHistory();
  const start = Number(history.events![0]!.eventTime!.seconds) * 1000 + history.events![0]!.eventTime!.nanos! / 1e6;
  const lines = history.events!.map((e) => {
    const t = Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6;
    return `${(t - start).toFixed(1).padStart(7)} ${e.eventType} ${e.markerRecordedEventAttributes?.markerName ?? ''}${e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''}`;
  });
  if (i >= 4) console.log(lines.join('\n'));
  console.log(`order ${i}: POST ${tAccept} ms, result at ${tDone} ms, events ${history.events!.length}`);
}
process.exit(0);
