import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfig, TemporalSettingsSchema } from '../../lib/config.js';
import { temporalConnectionOptions } from '../../lib/temporal-connection.js';
import { ensureSearchAttributes } from '../../scripts/infra.js';
import { createGatewayClient, uniqueEmail, uniqueSku } from '../support/api.js';
import { createTestPki, startMtlsProxy, type MtlsProxy, type TestPki } from '../support/mtls.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// The gateway and the worker reach Temporal only through an mTLS endpoint, configured with Temporal's own
// environment variables, as the Helm chart sets them for Temporal Cloud or a TLS-enabled cluster.
let dir: string;
let pki: TestPki;
let proxy: MtlsProxy;
let stack: TestStack;

const tlsEnv = (withClientCert: boolean): Record<string, string> => ({
  TEMPORAL_ADDRESS: proxy.address,
  TEMPORAL_TLS: 'true',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
  TEMPORAL_TLS_SERVER_NAME: pki.server.name,
  ...(withClientCert
    ? { TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.client.key }
    : {}),
});
const optionsFrom = (env: Record<string, string>) =>
  temporalConnectionOptions(parseConfig(TemporalSettingsSchema, env));
const connectWith = (env: Record<string, string>) => Connection.connect({ ...optionsFrom(env), connectTimeout: 5000 });

beforeAll(async () => {
  dir = await mkdtemp(join(inject('logDir'), 'temporal-tls-'));
  pki = await createTestPki(dir);
  proxy = await startMtlsProxy(pki, inject('temporalAddress'));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Temporal over mTLS', () => {
  it('the endpoint refuses a client without a certificate and serves one with it', async () => {
    await expect(connectWith(tlsEnv(false))).rejects.toThrow();
    expect(proxy.refused).toBeGreaterThan(0);
    const connection = await connectWith(tlsEnv(true));
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
    } finally {
      await connection.close();
    }
    expect(proxy.accepted).toContain(pki.client.name);
    // What `npm start` does with an external Temporal before starting anything.
    await expect(ensureSearchAttributes(optionsFrom(tlsEnv(true)))).resolves.toBeUndefined();
  });

  it('places an order end to end with the gateway and the worker connected over mTLS', async () => {
    const acceptedBefore = proxy.accepted.length;
    stack = await startTestStack('temporal_tls', tlsEnv(true));
    const api = createGatewayClient(stack.urls.api);
    const adminToken = await api.login(stack.admin.email, stack.admin.password);
    const product = await api.createProduct(adminToken, {
      sku: uniqueSku('TLS'),
      name: 'Encrypted widget',
      priceCents: 900,
      stock: 2,
    });
    const customer = await api.registerAndLogin(uniqueEmail('tls'));
    const placed = await api.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    expect(placed.status).toBe(202);
    expect((await api.waitForFinal(customer.token, placed.body.id)).status).toBe('CONFIRMED');
    // Both processes came through the proxy with the client certificate: there is no other way to Temporal.
    expect(proxy.accepted.length - acceptedBefore).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.accepted)).toEqual(new Set([pki.client.name]));
  }, 240_000);
});
