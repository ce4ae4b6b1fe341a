import { afterAll, beforeAll } from 'vitest';
import type { buildGateway } from './gateway.js';
import { jsonRequest } from './gateway.js';
import { startFakeServices, type FakeServices } from './fake-services.js';
import { createTokenIssuer, type TokenIssuer } from './tokens.js';

type App = ReturnType<typeof buildGateway>['app'];

export const sampleOrder = {
  items: [
    { productId: 'p_1', quantity: 2 },
    { productId: 'p_2', quantity: 1 },
  ],
  paymentMethod: 'tok_visa',
};

/**
 * Registers the hooks of a gateway test file: fake services, a token issuer, and bearer headers
 * for two customers (alice, bob) and an admin (root). Fields are filled in `beforeAll`.
 */
export function useGatewayFixtures() {
  const fx = {
    services: undefined as unknown as FakeServices,
    issuer: undefined as unknown as TokenIssuer,
    auth: {} as Record<string, Record<string, string>>,
    place: (app: App, who: string, payload: unknown = sampleOrder, headers: Record<string, string> = {}) =>
      app.request('/api/orders', jsonRequest('POST', payload, { ...fx.auth[who], ...headers })),
    getOrder: (app: App, who: string, id: string) => app.request(`/api/orders/${id}`, { headers: fx.auth[who] }),
    cancel: (app: App, who: string, id: string) =>
      app.request(`/api/orders/${id}/cancel`, { method: 'POST', headers: fx.auth[who] }),
  };
  beforeAll(async () => {
    [fx.services, fx.issuer] = await Promise.all([startFakeServices(), createTokenIssuer()]);
    for (const [name, role] of [
      ['alice', 'customer'],
      ['bob', 'customer'],
      ['root', 'admin'],
    ] as const) {
      fx.auth[name] = { authorization: `Bearer ${await fx.issuer.sign(`u_${name}`, { role })}` };
    }
  });
  afterAll(async () => {
    await Promise.all([fx.services?.close(), fx.issuer?.close()]);
  });
  return fx;
}
