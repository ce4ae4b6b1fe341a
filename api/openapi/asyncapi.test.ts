import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { registerAsyncApi } from './asyncapi.js';

describe('/asyncapi.json', () => {
  it('is an AsyncAPI 3.0 document of the four events on orders.events, with JSON Schemas from the zod contract', async () => {
    const app = new Hono();
    registerAsyncApi(app);
    const response = await app.request('/asyncapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as any;
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c: any) => c.address)).toEqual([
      'order.placed',
      'order.confirmed',
      'order.failed',
      'order.cancelled',
    ]);
    expect(doc.channels.OrderConfirmed.bindings.amqp.exchange).toMatchObject({
      name: 'orders.events',
      type: 'topic',
      durable: true,
    });
    const failed = doc.components.schemas.OrderFailed;
    expect(failed.required).toEqual(['id', 'type', 'version', 'occurredAt', 'orderId', 'customerId', 'data']);
    expect(failed.properties.type.const).toBe('order.failed');
    expect(failed.properties.version.const).toBe(1);
    expect(failed.properties.data.properties.failureReason.enum).toContain('PAYMENT_DECLINED');
    for (const operation of Object.values<any>(doc.operations)) expect(operation.action).toBe('send');
  });
});
