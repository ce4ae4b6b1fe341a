import type { Hono } from 'hono';
import { z } from 'zod';
import { ORDER_EVENT_SCHEMAS, ORDER_EVENTS_EXCHANGE, type OrderEventType } from '../../contracts/events.js';

const messageName = (type: OrderEventType) =>
  type.replace(/(^|\.)([a-z])/g, (_, _dot: string, letter: string) => letter.toUpperCase());

/** The AsyncAPI 3.0 document of the domain events, generated from the zod schemas in contracts/events.ts. */
function asyncApiDocument(): Record<string, unknown> {
  const types = Object.keys(ORDER_EVENT_SCHEMAS) as OrderEventType[];
  const entries = (make: (type: OrderEventType, name: string) => unknown) =>
    Object.fromEntries(types.map((type) => [messageName(type), make(type, messageName(type))]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'durable-shop order events',
      version: '1.0.0',
      description:
        'Events of the orders service, published through a transactional outbox. Delivery is at least once and in ' +
        'order per order: consumers dedupe on `id` (= AMQP message_id). Every order publishes `order.placed` once ' +
        'and exactly one final event.',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: { host: '127.0.0.1:5672', protocol: 'amqp', protocolVersion: '0-9-1', description: 'AMQP_URL' },
    },
    channels: entries((type, name) => ({
      address: type,
      description: `Routing key \`${type}\` on the durable topic exchange \`${ORDER_EVENTS_EXCHANGE}\`.`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: ORDER_EVENTS_EXCHANGE, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
          bindingVersion: '0.3.0',
        },
      },
    })),
    operations: entries((_type, name) => ({
      action: 'send',
      channel: { $ref: `#/channels/${name}` },
      messages: [{ $ref: `#/channels/${name}/messages/${name}` }],
    })),
    components: {
      messages: entries((type, name) => ({
        name,
        title: type,
        contentType: 'application/json',
        payload: { $ref: `#/components/schemas/${name}` },
        bindings: { amqp: { deliveryMode: 2, messageType: type, bindingVersion: '0.3.0' } },
      })),
      schemas: entries((type) => z.toJSONSchema(ORDER_EVENT_SCHEMAS[type], { target: 'draft-7', io: 'output' })),
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any app's environment: the route reads nothing from it
export function registerAsyncApi(app: Hono<any>): void {
  const document = asyncApiDocument();
  app.get('/asyncapi.json', (c) => c.json(document));
}
