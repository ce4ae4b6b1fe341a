import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage } from '../../contracts/notifications.js';
import { notificationFor } from './messages.js';
import { auth, createHarness, orderEvent, type Harness } from './test-support/harness.js';

describe('notifications store and GET /v1/notifications', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('notifications_routes');
  });
  afterAll(async () => h?.close());

  const record = (event: ReturnType<typeof orderEvent>) => h.store.recordEvent(event, notificationFor(event));
  const list = async (query: string) => {
    const response = await h.app.request(`/v1/notifications?${query}`, { headers: auth });
    return { status: response.status, body: (await response.json()) as NotificationPage };
  };

  it('records one notification per final order, whatever is redelivered', async () => {
    const confirmed = orderEvent('order.confirmed', 'dedupe-1', 'dedupe-customer');
    expect(await record(orderEvent('order.placed', 'dedupe-1', 'dedupe-customer'))).toBe(true);
    expect(await record(confirmed)).toBe(true);
    expect(await record(confirmed)).toBe(false);
    // A second final event for the same order (never published) still cannot make a second notification.
    expect(await record(orderEvent('order.cancelled', 'dedupe-1', 'dedupe-customer'))).toBe(true);
    const { body } = await list('customerId=dedupe-customer');
    expect(body.items.map((n) => [n.orderId, n.type])).toEqual([['dedupe-1', 'ORDER_CONFIRMED']]);
  });

  it('lists one customer’s notifications newest first, page by page', async () => {
    for (let i = 0; i < 5; i++) await record(orderEvent('order.confirmed', `page-${i}`, 'pager'));
    await record(orderEvent('order.failed', 'someone-else', 'other'));
    const pages: NotificationPage[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(`customerId=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.nextCursor;
    }
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    const seen = pages.flatMap((p) => p.items);
    expect(seen.map((n) => n.orderId).sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const times = seen.map((n) => n.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const last = pages.at(-1)!;
    expect(Object.keys(last.items[0]!).sort()).toEqual(['body', 'createdAt', 'id', 'orderId', 'subject', 'type']);
  });

  it('refuses a bad cursor, a missing customer and a missing token', async () => {
    expect((await list('customerId=pager&cursor=nope')).status).toBe(400);
    expect((await list('limit=2')).status).toBe(400);
    expect((await h.app.request('/v1/notifications?customerId=pager')).status).toBe(401);
  });
});
