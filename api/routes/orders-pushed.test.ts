import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../contracts/events.js';
import type { OrderSagaState } from '../../contracts/order-saga.js';
import { createLocalOrderEventHub } from '../orders/event-hub.js';
import { buildGateway, readBody } from '../test-support/gateway.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';

const fx = useGatewayFixtures();
const live = { keepAliveMs: 60_000, refreshMs: 60_000, stateCacheMs: 0 };
const at = '2026-01-01T00:00:01.000Z';

function setup() {
  const hub = createLocalOrderEventHub();
  const gw = buildGateway(fx.services, fx.issuer, {}, { orderEvents: hub, live });
  const place = async () => ((await readBody(await fx.place(gw.app, 'alice'))) as { id: string }).id;
  const push = (id: string, seq: number, steps: string[], status: OrderSagaState['status'] = 'PENDING') => {
    const state = { ...structuredClone(gw.temporal.runs.get(id)!.state), status };
    state.steps = steps.map((name) => ({ name, status: 'completed' as const, at }));
    hub.publish({ type: 'order.progress', seq, state });
  };
  const get = async (id: string) => readBody(await fx.getOrder(gw.app, 'alice', id));
  return { hub, gw, place, push, get };
}

describe('following a pending order costs no Temporal query once its progress is pushed', () => {
  it('GET answers from the pushed state; without one past its first seconds (or once final) it queries the saga', async () => {
    const { hub, gw, place, push, get } = setup();
    const [pushed, silent] = [await place(), await place()];
    push(pushed, 4, ['getCustomer', 'priceItems']);
    for (let i = 0; i < 3; i++)
      expect((await get(pushed)).steps.map((s: { name: string }) => s.name)).toEqual(['getCustomer', 'priceItems']);
    expect(gw.temporal.queried).toEqual([]);
    expect((await fx.getOrder(gw.app, 'bob', pushed)).status).toBe(404);
    expect((await get(silent)).status).toBe('PENDING'); // nothing pushed yet: its first workflow task still runs
    expect(gw.temporal.queried).toEqual([]);
    gw.advance(2_000);
    await get(silent); // negative control: still nothing pushed for it, so the gateway asks the saga
    expect(gw.temporal.queried).toEqual([silent]);
    hub.publish({ type: 'order.confirmed', orderId: pushed } as OrderEvent);
    await get(pushed);
    expect(gw.temporal.queried).toEqual([silent, pushed]);
  });

  it('an SSE stream sends pushed steps as they come, with no Temporal query', async () => {
    const { gw, place, push } = setup();
    const id = await place();
    push(id, 2, ['getCustomer']);
    const res = await gw.app.request(`/api/orders/${id}/events`, { headers: fx.auth.alice });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen: string[][] = [];
    const next = async () => {
      let text = '';
      while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as { steps: { name: string }[] };
      seen.push(data.steps.map((s) => s.name));
    };
    await next();
    push(id, 5, ['getCustomer', 'reserveInventory']);
    await next();
    push(id, 7, ['getCustomer', 'reserveInventory', 'capturePayment']);
    await next();
    await reader.cancel();
    expect(seen).toEqual([
      ['getCustomer'],
      ['getCustomer', 'reserveInventory'],
      ['getCustomer', 'reserveInventory', 'capturePayment'],
    ]);
    expect(gw.temporal.queried).toEqual([]);
  });
});
