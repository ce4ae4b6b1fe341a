import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { z } from 'zod';
import type { OrderEvent } from '../../contracts/events.js';
import type { ListNotificationsQuery, Notification, NotificationPage } from '../../contracts/notifications.js';
import { validationProblem } from '../../lib/problem.js';
import type { NotificationMessage } from './messages.js';
import { inbox, notifications, type NotificationRow } from './schema.js';

export interface NotificationStore {
  /**
   * In one transaction: records the event id in the inbox and, when given, the notification.
   * Returns false (and changes nothing) when the event was handled before.
   */
  recordEvent(event: OrderEvent, message: NotificationMessage | undefined): Promise<boolean>;
  list(query: ListNotificationsQuery): Promise<NotificationPage>;
  ping: () => Promise<void>;
}

export function createNotificationStore(db: PostgresJsDatabase): NotificationStore {
  return {
    recordEvent: (event, message) =>
      db.transaction(async (tx) => {
        const [fresh] = await tx
          .insert(inbox)
          .values({ eventId: event.id, type: event.type, orderId: event.orderId })
          .onConflictDoNothing({ target: inbox.eventId })
          .returning({ eventId: inbox.eventId });
        if (!fresh) return false;
        if (message) {
          await tx
            .insert(notifications)
            .values({ customerId: event.customerId, orderId: event.orderId, eventId: event.id, ...message })
            .onConflictDoNothing({ target: notifications.orderId });
        }
        return true;
      }),

    async list({ customerId, limit, cursor }) {
      const conditions: SQL[] = [eq(notifications.customerId, customerId)];
      if (cursor !== undefined) {
        const after = decodeCursor(cursor);
        conditions.push(
          sql`(${notifications.createdAt}, ${notifications.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
        );
      }
      const rows = await db
        .select()
        .from(notifications)
        .where(and(...conditions))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toNotification), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    ping: async () => void (await db.execute(sql`select 1`)),
  };
}

function toNotification(row: NotificationRow): Notification {
  const { id, orderId, subject, body } = row;
  return { id, orderId, type: row.type as Notification['type'], subject, body, createdAt: row.createdAt.toISOString() };
}

const CursorPayload = z.tuple([z.iso.datetime(), z.uuid()]);

function encodeCursor(row: Pick<NotificationRow, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = CursorPayload.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw validationProblem([{ path: 'cursor', message: 'invalid cursor' }]);
  }
}
