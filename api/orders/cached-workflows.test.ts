import { describe, expect, it } from 'vitest';
import { cacheOrderQueries } from './cached-workflows.js';
import { createMemoryOrderWorkflows } from '../test-support/memory-workflows.js';

const input = (orderId: string) => ({
  orderId,
  customerId: 'c',
  items: [{ productId: 'p', quantity: 1 }],
  paymentMethod: 'tok_visa',
  currency: 'USD',
  cancelWindowMs: 1000,
  requestId: 'r',
  requestHash: 'h',
});
const memo = { requestHash: 'h', nonce: 'n', customerId: 'c', paymentMethod: 'tok_visa', items: [], createdAt: '' };

describe('cacheOrderQueries', () => {
  it('costs one Temporal query per TTL however often a pending order is read, and none stale after a cancel', async () => {
    const memory = createMemoryOrderWorkflows();
    let queries = 0;
    const counted = {
      ...memory.workflows,
      query: (id: string, t: number) => (queries++, memory.workflows.query(id, t)),
    };
    let now = 0;
    const cached = cacheOrderQueries(counted, 1000, () => now);
    await cached.start(input('o1'), memo, 's');
    await Promise.all(Array.from({ length: 20 }, () => cached.query('o1', 100)));
    expect(queries).toBe(1);
    now += 1000;
    await cached.query('o1', 100);
    expect(queries).toBe(2);
  });

  it('drops the entry on a cancel signal', async () => {
    const memory = createMemoryOrderWorkflows();
    const cached = cacheOrderQueries(memory.workflows, 60_000);
    await cached.start(input('o3'), memo, 's');
    expect((await cached.query('o3', 100)).status).toBe('PENDING');
    await cached.signalCancel('o3');
    expect((await cached.query('o3', 100)).status).toBe('CANCELLED');
  });

  it('does not keep a failed query', async () => {
    const memory = createMemoryOrderWorkflows();
    const cached = cacheOrderQueries(memory.workflows, 60_000);
    await cached.start(input('o2'), memo, 's');
    memory.setQueryFails(true);
    await expect(cached.query('o2', 100)).rejects.toThrow();
    memory.setQueryFails(false);
    expect((await cached.query('o2', 100)).status).toBe('PENDING');
  });
});
