import { FinalStatuses } from '../../contracts/orders.js';
import type { OrderProgress } from '../../contracts/order-progress.js';
import type { OrderSagaState } from '../../contracts/order-saga.js';

/** Running sagas a gateway remembers at most: past it the oldest is forgotten (its reads fall back to a query). */
const MAX_ORDERS = 20_000;

/** The latest pushed state of each running saga, by order id; a final one is dropped (the order record has it). */
export function createLiveStates(max = MAX_ORDERS) {
  const latest = new Map<string, OrderProgress>();
  return {
    /** Keeps `progress` unless a later one is known; false when it was older than what is kept. */
    offer(progress: OrderProgress): boolean {
      const { orderId } = progress.state;
      const known = latest.get(orderId);
      if (known && known.seq > progress.seq) return false;
      latest.delete(orderId);
      if (FinalStatuses.includes(progress.state.status)) return true;
      if (latest.size >= max) latest.delete(latest.keys().next().value!);
      latest.set(orderId, progress);
      return true;
    },
    get: (orderId: string): OrderSagaState | undefined => latest.get(orderId)?.state,
    drop: (orderId: string) => void latest.delete(orderId),
    size: () => latest.size,
  };
}
