import { z } from 'zod';
import { NotificationPage } from '../contracts/notifications.js';
import type { ServiceClient } from '../lib/service-client.js';

export interface NotificationsClient {
  list(
    query: { customerId: string; limit: number; cursor?: string | undefined },
    requestId: string,
  ): Promise<NotificationPage>;
  ready: () => Promise<void>;
}

export function createNotificationsClient(client: ServiceClient): NotificationsClient {
  return {
    list: (query, requestId) => client.call('GET', '/v1/notifications', NotificationPage, { query, requestId }),
    ready: async () => void (await client.call('GET', '/readyz', z.unknown(), { timeoutMs: 2_000 })),
  };
}
