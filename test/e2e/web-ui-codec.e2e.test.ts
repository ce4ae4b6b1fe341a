// The Temporal Web UI of the dev server, pointed at the codec server as `npm start` does, shows an order's
// input decrypted: the page in headless Chromium names the customer, item and payment method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPE } from '../../contracts/order-saga.js';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';
import { createEncryptionCodec } from '../../lib/payload-codec.js';
import { DEV_PAYLOAD_KEYS, payloadKeyring } from '../../lib/payload-keys.js';
import { startTemporal } from '../../scripts/infra.js';
import { freePort, type ManagedProcess } from '../../scripts/processes.js';
import { ensureTemporal } from '../../scripts/tools.js';
import { SERVICE_TOKEN } from '../../api/test-support/fake-services.js';
import { useGatewayFixtures } from '../../api/test-support/fixtures.js';
import { buildGateway } from '../../api/test-support/gateway.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from '../../workflows/test-support/harness.js';
import { mockActivities, orderInput } from '../../workflows/test-support/mock-activities.js';
import { guardedContext, launchChromium, screenshot } from './storefront-browser.js';
import type { Browser } from 'playwright-core';

const suffix = Math.random().toString(36).slice(2, 8);
const customerId = `cust-ui-${suffix}`;
const fx = useGatewayFixtures();
const state = { refuse: false };
let temporal: ManagedProcess;
let gateway: RunningServer;
let harness: Harness;
let worker: RunningWorker;
let browser: Browser;
let uiPort: number;

beforeAll(async () => {
  const [port, gatewayPort] = [await freePort(), await freePort()];
  uiPort = await freePort();
  const codec = createEncryptionCodec(payloadKeyring({ PAYLOAD_KEYS: DEV_PAYLOAD_KEYS }));
  const { app } = buildGateway(
    fx.services,
    fx.issuer,
    { TEMPORAL_UI_URL: `http://127.0.0.1:${uiPort}` },
    { codecServer: { codec, serviceToken: SERVICE_TOKEN, allowAnonymous: true } },
  );
  // The negative control switches the codec server off without restarting the Web UI.
  const fetch = (request: Request) => (state.refuse ? new Response(null, { status: 503 }) : app.fetch(request));
  gateway = await startHttpServer({ fetch }, gatewayPort);
  const bin = await ensureTemporal();
  temporal = await startTemporal({ bin, port, uiPort, codecEndpoint: `${gateway.url}/codec` });
  harness = await connectHarness(`127.0.0.1:${port}`);
  worker = await startWorker(harness, `ui-${suffix}`, mockActivities(() => ({})).activities);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await harness?.close();
  await temporal?.stop();
  await gateway?.close();
});

describe('the Temporal Web UI with the codec server', () => {
  it('shows the decrypted input of an order, and not without the codec server', async () => {
    const orderId = `ui-${suffix}`;
    const input = orderInput(orderId, { customerId });
    await harness.client.workflow.execute(WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue: `ui-${suffix}`,
      args: [input],
    });
    const guarded = await guardedContext(browser);
    try {
      const page = await guarded.context.newPage();
      const url = `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${orderId}`;
      await page.goto(url);
      await expect.poll(async () => (await page.content()).includes(customerId), { timeout: 30_000 }).toBe(true);
      await screenshot(page, 'web-ui-decoded-input');

      state.refuse = true;
      const fresh = await guarded.context.newPage();
      await fresh.goto(url);
      await fresh.getByText('placeOrder').first().waitFor({ timeout: 30_000 });
      await fresh.waitForTimeout(3_000);
      expect(await fresh.content()).not.toContain(customerId);
      expect(guarded.offHost).toEqual([]);
    } finally {
      state.refuse = false;
      await guarded.close();
    }
  });
});
