import type { Hono } from 'hono';
import { notificationsApi } from '../../contracts/notifications-api.js';
import { serveApi } from '../../lib/contract-server.js';
import { isPostgresOutage } from '../../lib/outages.js';
import type { AppEnv } from '../../lib/service-app.js';
import type { NotificationStore } from './store.js';

export function registerNotificationRoutes(app: Hono<AppEnv>, store: NotificationStore): void {
  serveApi(
    app,
    notificationsApi,
    { list: async ({ query }) => store.list(query) },
    { outage: (error) => (isPostgresOutage(error) ? 'postgres' : undefined) },
  );
}
