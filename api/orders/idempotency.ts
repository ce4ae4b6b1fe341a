import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../contracts/canonical-json.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Without a key every request is a new order; with one, the customer's key always names the same order. */
export function deriveOrderId(customerId: string, idempotencyKey?: string): string {
  if (idempotencyKey === undefined) return `ord_${randomUUID().replaceAll('-', '')}`;
  return `ord_${sha256(`${customerId}\n${idempotencyKey}`).slice(0, 26)}`;
}

export interface OrderRequestContent {
  customerId: string;
  items: { productId: string; quantity: number }[];
  paymentMethod: string;
}

/** Lines are sorted by productId (unique per order): the same order listed in another sequence is the same request. */
export function requestHash({ customerId, items, paymentMethod }: OrderRequestContent): string {
  const lines = [...items].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  return sha256(
    canonicalJson({
      customerId,
      items: lines.map(({ productId, quantity }) => ({ productId, quantity })),
      paymentMethod,
    }),
  );
}
