import { z } from 'zod';
import { Cursor, Limit } from './common.js';

export const NotificationType = z.enum(['ORDER_CONFIRMED', 'ORDER_FAILED', 'ORDER_CANCELLED']);
export type NotificationType = z.infer<typeof NotificationType>;

/** The public `Notification` of the gateway contract: what the customer would receive by email. */
export const Notification = z.object({
  id: z.string(),
  orderId: z.string(),
  type: NotificationType,
  subject: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z.object({ items: z.array(Notification), nextCursor: z.string().nullable() });
export type NotificationPage = z.infer<typeof NotificationPage>;

/** Public: GET /api/notifications query. */
export const MyNotificationsQuery = z.object({ limit: Limit, cursor: Cursor.optional() });

/** Internal: GET /v1/notifications?customerId=&limit=&cursor= — one customer's, newest first. */
export const ListNotificationsQuery = MyNotificationsQuery.extend({ customerId: z.string().min(1) });
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;
