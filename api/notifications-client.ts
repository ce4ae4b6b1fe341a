import { z } from 'zod';
import { notificationsApi } from '../contracts/notifications-api.js';
import type { NotificationPage } from '../contracts/notifications.js';
import { createContractClient } from '../lib/contract-client.js';
import type { ServiceTransport } from '../lib/service-transport.js';

export interface NotificationsClient {
  list(
    query: { customerId: string; limit: number; cursor?: string | undefined },
    requestId: string,
  ): Promise<NotificationPage>;
  ready: () => Promise<void>;
}

/** The notifications service's contract (contracts/notifications-api.ts), typed, plus its readiness. */
export function createNotificationsClient(client: ServiceTransport): NotificationsClient {
  const api = createContractClient(notificationsApi, client);
  return {
    list: (query, requestId) => api.list({ query }, { requestId }),
    ready: async () => void (await client.call('GET', '/readyz', z.unknown(), { timeoutMs: 2_000 })),
  };
}
