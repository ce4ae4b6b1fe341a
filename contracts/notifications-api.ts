import { route } from './api.js';
import { ListNotificationsQuery, NotificationPage } from './notifications.js';

/** Internal HTTP API of services/notifications (every /v1 route requires the service token). */
export const notificationsApi = {
  list: route({ method: 'GET', path: '/v1/notifications', query: ListNotificationsQuery, response: NotificationPage }),
};
