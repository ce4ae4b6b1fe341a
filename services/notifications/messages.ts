import type { FinalOrderEvent, OrderEvent } from '../../contracts/events.js';
import type { NotificationType } from '../../contracts/notifications.js';
import type { FailureReason, OrderItem } from '../../contracts/orders.js';

export interface NotificationMessage {
  type: NotificationType;
  subject: string;
  body: string;
}

const failureExplained: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'one of the products is out of stock',
  PRODUCT_NOT_FOUND: 'one of the products is no longer in our catalog',
  PAYMENT_DECLINED: 'your payment was declined',
  CUSTOMER_INACTIVE: 'your account is not active',
};

// One formatter per currency: building one costs ~40 times a format.
const formatters = new Map<string, Intl.NumberFormat>();
const formatterFor = (currency: string) => {
  const known = formatters.get(currency);
  if (known) return known;
  const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  formatters.set(currency, formatter);
  return formatter;
};
const money = (cents: number | null, currency: string) =>
  cents === null ? '—' : formatterFor(currency).format(cents / 100);

const lines = (items: OrderItem[], currency: string) =>
  items.map((item) => `  ${item.quantity} × ${item.name ?? item.productId}  ${money(item.unitPriceCents, currency)}`);

/** The email a customer gets when an order reaches a final status; nothing for `order.placed`. */
export function notificationFor(event: OrderEvent): NotificationMessage | undefined {
  if (event.type === 'order.placed') return undefined;
  return compose(event);
}

function compose(event: FinalOrderEvent): NotificationMessage {
  const { orderId, data } = event;
  const summary = [...lines(data.items, data.currency), `  Total: ${money(data.totalCents, data.currency)}`];
  switch (event.type) {
    case 'order.confirmed':
      return {
        type: 'ORDER_CONFIRMED',
        subject: `Your order ${orderId} is confirmed`,
        body: ['Thank you for your order. Your payment was received and your items are reserved.', '', ...summary].join(
          '\n',
        ),
      };
    case 'order.failed':
      return {
        type: 'ORDER_FAILED',
        subject: `Your order ${orderId} could not be completed`,
        body: [
          `We could not complete your order: ${failureExplained[event.data.failureReason]}.`,
          'You have not been charged and no items are held for you.',
          '',
          ...summary,
        ].join('\n'),
      };
    case 'order.cancelled':
      return {
        type: 'ORDER_CANCELLED',
        subject: `Your order ${orderId} was cancelled`,
        body: ['Your order was cancelled as requested. You have not been charged.', '', ...summary].join('\n'),
      };
  }
}
