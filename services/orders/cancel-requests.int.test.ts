import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_cancels');
});
afterAll(async () => h?.close());

async function pendingOrder(): Promise<string> {
  const id = uniqueId();
  await h.call('PUT', `/v1/orders/${id}`, pricedOrder());
  return id;
}
const requestCancel = (id: string) => h.call('POST', `/v1/orders/${id}/cancel-request`);
const passPoint = (id: string) => h.call('POST', `/v1/orders/${id}/point-of-no-return`);

describe('cancel request vs point of no return', () => {
  it('a recorded cancel (repeatable) makes the saga turn back at its point of no return', async () => {
    const id = await pendingOrder();
    const first = await requestCancel(id);
    expect(first).toMatchObject({ status: 200, body: { id, status: 'PENDING' } });
    expect((await requestCancel(id)).status).toBe(200);
    expect((await passPoint(id)).body).toEqual({ passed: false });
  });

  it('once the saga has passed (repeatable), a cancel is refused with 409 NOT_CANCELLABLE', async () => {
    const id = await pendingOrder();
    expect((await passPoint(id)).body).toEqual({ passed: true });
    expect((await passPoint(id)).body).toEqual({ passed: true });
    const refused = await requestCancel(id);
    expect(refused).toMatchObject({ status: 409, body: { code: 'NOT_CANCELLABLE' } });
    expect(refused.body.detail).toMatch(/point of no return/);
  });

  it('refuses a cancel of a final order and answers 404 for an unknown one', async () => {
    const id = await pendingOrder();
    await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(await requestCancel(id)).toMatchObject({ status: 409, body: { code: 'NOT_CANCELLABLE' } });
    expect((await requestCancel('ord_nope')).status).toBe(404);
    expect((await passPoint('ord_nope')).status).toBe(404);
  });

  it('racing a cancel against the point of no return: exactly one side wins, every time', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, pendingOrder));
    const results = await Promise.all(
      ids.map(async (id) => {
        const [cancel, point] = await Promise.all([requestCancel(id), passPoint(id)]);
        return { cancelled: cancel.status === 200, passed: point.body.passed as boolean };
      }),
    );
    for (const { cancelled, passed } of results) expect(cancelled).not.toBe(passed);
  });
});

const decideFailure = (id: string, reason = 'PAYMENT_DECLINED') =>
  h.call('POST', `/v1/orders/${id}/failure-decision`, { reason });

describe('cancel request vs a decided failure', () => {
  it('a recorded cancel wins over a later refusal: the failure is not decided', async () => {
    const id = await pendingOrder();
    expect((await requestCancel(id)).status).toBe(200);
    expect((await decideFailure(id)).body).toEqual({ decided: false });
  });

  it('once a failure is decided (repeatable), a cancel is refused with 409 NOT_CANCELLABLE', async () => {
    const id = await pendingOrder();
    expect((await decideFailure(id)).body).toEqual({ decided: true });
    expect((await decideFailure(id)).body).toEqual({ decided: true });
    const refused = await requestCancel(id);
    expect(refused).toMatchObject({ status: 409, body: { code: 'NOT_CANCELLABLE' } });
    expect(refused.body.detail).toMatch(/outcome is decided \(PAYMENT_DECLINED\)/);
    await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect((await decideFailure(id)).body).toEqual({ decided: true });
  });

  it('racing a cancel against a refusal: exactly one side wins, every time', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, pendingOrder));
    const results = await Promise.all(
      ids.map(async (id) => {
        const [cancel, decision] = await Promise.all([requestCancel(id), decideFailure(id)]);
        return { cancelled: cancel.status === 200, decided: decision.body.decided as boolean };
      }),
    );
    for (const { cancelled, decided } of results) expect(cancelled).not.toBe(decided);
  });
});
