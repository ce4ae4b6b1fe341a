import type { OrderSagaState } from '../../contracts/order-saga.js';
import type { OrderWorkflows } from './workflow-port.js';

const MAX_ENTRIES = 10_000;

/**
 * Answers repeated reads of a pending order from one Temporal query per `ttlMs` (concurrent reads share
 * the query in flight): polling clients and live streams no longer cost a query each. A cancel drops
 * the entry, so the caller reads its own change at once.
 */
export function cacheOrderQueries(workflows: OrderWorkflows, ttlMs: number, clock = Date.now): OrderWorkflows {
  const cache = new Map<string, { at: number; state: Promise<OrderSagaState> }>();
  const query = (id: string, timeoutMs: number) => {
    const hit = cache.get(id);
    if (hit && clock() - hit.at < ttlMs) return hit.state;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const entry = { at: clock(), state: workflows.query(id, timeoutMs) };
    cache.set(id, entry);
    entry.state.catch(() => cache.get(id) === entry && cache.delete(id));
    return entry.state;
  };
  if (ttlMs <= 0) return workflows;
  return {
    start: (input, memo, summary) => workflows.start(input, memo, summary),
    describe: (id) => workflows.describe(id),
    query,
    signalCancel: async (id) => {
      cache.delete(id);
      await workflows.signalCancel(id);
      cache.delete(id);
    },
    ping: () => workflows.ping(),
  };
}
