import { FinalStatuses } from '../../contracts/orders.js';
import type { OrderProgress } from '../../contracts/order-progress.js';
import type { OrderSagaState } from '../../contracts/order-saga.js';

/** Running sagas a gateway remembers at most: past it the oldest is forgotten (its reads fall back to a query). */
const MAX_ORDERS = 20_000;

/**
 * The latest pushed state of each running saga, by order id. A final one is dropped (the order record has it)
 * and the order is remembered as finished, so a late message from before the end cannot bring it back.
 */
export function createLiveStates(max = MAX_ORDERS) {
  const latest = new Map<string, OrderProgress>();
  const finished = new Set<string>();
  const bounded = <T>(entries: Map<string, T> | Set<string>) => {
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
  };
  const finish = (orderId: string) => {
    latest.delete(orderId);
    bounded(finished);
    finished.add(orderId);
  };
  return {
    /** Keeps `progress` unless a later one is known; false when it was older than what is kept. */
    offer(progress: OrderProgress): boolean {
      const { orderId } = progress.state;
      const known = latest.get(orderId);
      if (finished.has(orderId) || (known && known.seq > progress.seq)) return false;
      if (FinalStatuses.includes(progress.state.status)) {
        finish(orderId);
        return true;
      }
      latest.delete(orderId);
      bounded(latest);
      latest.set(orderId, progress);
      return true;
    },
    get: (orderId: string): OrderSagaState | undefined => latest.get(orderId)?.state,
    /** The order is final (its domain event arrived). */
    finish,
  };
}
