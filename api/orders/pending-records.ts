import type { Order } from '../../contracts/orders.js';

/** Pending records kept for reads (a saga lives seconds; past this the oldest is read again when asked). */
const MAX_PENDING_RECORDS = 10_000;

/**
 * The records of pending orders this gateway has read or made: with the saga's pushed state they answer a
 * read with no call at all (while pending, what changes in a record is what the pushed state carries).
 */
export function createPendingRecords(max = MAX_PENDING_RECORDS) {
  const records = new Map<string, Order>();
  return {
    get: (orderId: string) => records.get(orderId),
    remember(order: Order): void {
      if (records.size >= max) records.delete(records.keys().next().value!);
      records.set(order.id, order);
    },
    forget: (orderId: string) => void records.delete(orderId),
  };
}
