import { Hono } from 'hono';
import { z } from 'zod';
import { CreateOrderRequest, ListOrdersQuery, Step, TransitionRequest } from '../../contracts/orders.js';
import { notFound } from '../../lib/problem.js';
import { readJson, readQuery, type AppEnv } from '../../lib/service-app.js';
import type { OrderStore } from './order-store.js';

export const OrderIdParam = z.string().min(1).max(128);

const CreateOrderBody = CreateOrderRequest.superRefine(({ items }, ctx) => {
  items.forEach((item, index) => {
    if (item.unitPriceCents !== null && item.unitPriceCents < 0) {
      ctx.addIssue({ code: 'custom', path: ['items', index, 'unitPriceCents'], message: 'must not be negative' });
    }
  });
});

const TransitionBody = TransitionRequest.superRefine(({ to, failureReason }, ctx) => {
  if ((to === 'FAILED') !== (failureReason !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['failureReason'], message: 'required when (and only when) to is FAILED' });
  }
});

const StepsBody = z.object({ steps: z.array(Step) });

export function orderIdFrom(raw: string): string {
  const parsed = OrderIdParam.safeParse(raw);
  if (!parsed.success) throw notFound(`Order ${raw.slice(0, 128)} not found`);
  return parsed.data;
}

export function createOrdersRoutes(store: OrderStore): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.put('/:id', async (c) => {
    const id = orderIdFrom(c.req.param('id'));
    const { order, created } = await store.create(id, await readJson(c, CreateOrderBody));
    return c.json(order, created ? 201 : 200);
  });

  routes.get('/', async (c) => c.json(await store.list(readQuery(c, ListOrdersQuery))));

  routes.get('/:id', async (c) => {
    const id = orderIdFrom(c.req.param('id'));
    const order = await store.get(id);
    if (!order) throw notFound(`Order ${id} not found`);
    return c.json(order);
  });

  routes.post('/:id/transitions', async (c) => {
    const id = orderIdFrom(c.req.param('id'));
    return c.json(await store.transition(id, await readJson(c, TransitionBody)));
  });

  routes.put('/:id/steps', async (c) => {
    const id = orderIdFrom(c.req.param('id'));
    const { steps } = await readJson(c, StepsBody);
    return c.json(await store.setSteps(id, steps));
  });

  return routes;
}
