import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { MyNotificationsQuery, NotificationPage } from '../../contracts/notifications.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import type { NotificationsClient } from '../notifications-client.js';
import { bearer, json, pick } from '../openapi/schemas.js';

const list = createRoute({
  method: 'get',
  path: '/api/notifications',
  tags: ['notifications'],
  summary: "The caller's notifications (one per order that reached a final status), newest first",
  security: bearer,
  request: { query: MyNotificationsQuery },
  responses: { 200: json(NotificationPage, 'A page of notifications'), ...pick(400, 401, 429, 503) },
});

export function registerNotificationRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: { notifications: NotificationsClient; verifyToken: VerifyToken },
): void {
  app.openapi({ ...list, middleware: authenticate(deps.verifyToken, ['customer', 'admin']) }, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await deps.notifications.list({ customerId: c.get('caller').sub, limit, cursor }, c.get('requestId'));
    return c.json(page, 200);
  });
}
