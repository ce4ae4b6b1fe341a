import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { useTestStack } from '../support/stack.js';
import {
  ensureStorefrontBuilt,
  guardedContext,
  launchChromium,
  screenshot,
  type GuardedContext,
} from './storefront-browser.js';

// The storefront in real Chromium against the whole system; the page is driven by role and accessible name only.
const temporalUiUrl = inject('temporalUiUrl');
beforeAll(ensureStorefrontBuilt);
const e2e = useTestStack('storefront', {
  ORDER_CANCEL_WINDOW_MS: '5000',
  ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
});

let browser: Browser;
let guarded: GuardedContext;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  guarded = await guardedContext(browser);
  page = await guarded.context.newPage();
});
afterEach(async () => {
  await guarded.close();
  expect(guarded.offHost, 'requests that left 127.0.0.1').toEqual([]);
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
const status = () => page.getByRole('status', { name: 'Order status' });
const product = (name: string, stock: number, priceCents = 1500) =>
  e2e.api.createProduct(e2e.adminToken, { sku: uniqueSku('WEB'), name, priceCents, stock });

async function open(path = '/') {
  await page.goto(`${e2e.stack.urls.api}/#${path}`);
}

async function registerInBrowser(email: string, password = 'password-123') {
  await open();
  await nav('Register').click();
  await page.getByLabel('Name').fill('Ada Customer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signInInBrowser(email: string, password: string) {
  await nav('Sign in').click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function addFromCatalog(name: string) {
  await nav('Catalog').click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await searchApplied(page);
  await page.getByRole('listitem', { name }).getByRole('button', { name: 'Add to cart' }).click();
}

/** Places the cart's order with `token` and returns the order id from the page's address. */
async function checkout(token: string): Promise<string> {
  await nav('Cart').click();
  await page.getByRole('combobox', { name: 'Payment method' }).selectOption(token);
  await page.getByRole('button', { name: 'Place order' }).click();
  await status().waitFor();
  return decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
}

async function customerWithCart(names: string[]) {
  const email = uniqueEmail('web');
  await registerInBrowser(email);
  for (const name of names) await addFromCatalog(name);
  return email;
}

const finalStatus = (expected: string) =>
  expect.poll(() => status().textContent(), { timeout: 45_000, interval: 200 }).toBe(expected);

describe('storefront in Chromium', () => {
  it('registers, signs in, buys two products with tok_visa and watches the saga to CONFIRMED live', async () => {
    const [lamp, mug] = [`Lamp ${uniqueSku()}`, `Mug ${uniqueSku()}`];
    await Promise.all([product(lamp, 5, 2500), product(mug, 5, 900)]);
    const email = uniqueEmail('web');
    await registerInBrowser(email);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInInBrowser(email, 'password-123');
    await addFromCatalog(lamp);
    await screenshot(page, 'catalog');
    await addFromCatalog(mug);
    await nav('Cart').click();
    await screenshot(page, 'cart');

    const orderId = await checkout('tok_visa');
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    expect(await status().textContent()).toBe('PENDING');
    await page.getByRole('listitem').filter({ hasText: 'authorizePayment' }).first().waitFor();
    await screenshot(page, 'order-pending');
    await page.setViewportSize({ width: 720, height: 680 });
    await screenshot(page, 'order-mid-saga-small', false);
    await page.setViewportSize({ width: 1100, height: 900 });
    await finalStatus('CONFIRMED');
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);

    const order = (await e2e.api.request<Order>('GET', `/api/orders/${orderId}`, { token: await tokenOf(email) })).body;
    const listed = await page.getByRole('list', { name: 'Progress' }).getByRole('listitem').allTextContents();
    for (const step of order.steps) {
      expect(
        listed.some((text) => text.startsWith(`${step.name} ${step.status}`)),
        step.name,
      ).toBe(true);
    }
    expect(order.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['reserveInventory', 'capturePayment']));
    await expect.poll(() => page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    if (await notificationsExist(email)) await page.getByRole('complementary', { name: 'Notification' }).waitFor();
    await screenshot(page, 'order-confirmed');

    await nav('Orders').click();
    await page.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).waitFor();
    await screenshot(page, 'orders');
    await nav('Notifications').click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await screenshot(page, 'notifications');
  });

  it('shows FAILED and the reason in plain words for a declined card', async () => {
    const name = `Kettle ${uniqueSku()}`;
    await product(name, 3);
    await customerWithCart([name]);
    await checkout('tok_chargeDeclined');
    await finalStatus('FAILED');
    const reason = await page.getByRole('alert', { name: 'Failure reason' }).textContent();
    expect(reason).toMatch(/payment was declined/i);
    await screenshot(page, 'order-failed');
  });

  it('cancels an order during the cancellation window and shows CANCELLED', async () => {
    const name = `Chair ${uniqueSku()}`;
    await product(name, 3);
    await customerWithCart([name]);
    await checkout('tok_visa');
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await finalStatus('CANCELLED');
    await screenshot(page, 'order-cancelled');
  });

  it("opens the order's workflow in the Temporal Web UI", async ({ skip }) => {
    if (!temporalUiUrl) skip('TEMPORAL_UI_URL not known (an external Temporal server is in use)');
    const name = `Desk ${uniqueSku()}`;
    await product(name, 3);
    const email = await customerWithCart([name]);
    const orderId = await checkout('tok_visa');
    const order = (await e2e.api.request<Order>('GET', `/api/orders/${orderId}`, { token: await tokenOf(email) })).body;
    const [ui] = await Promise.all([
      guarded.context.waitForEvent('page'),
      page.getByRole('link', { name: 'Open in Temporal UI' }).click(),
    ]);
    await ui.waitForLoadState();
    expect(ui.url()).toContain(`${temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent(order.workflowId)}`);
    await ui.getByText(order.workflowId).first().waitFor({ timeout: 30_000 });
    await screenshot(ui, 'temporal-ui');
  });

  it('lets the admin restock (the storefront shows the new stock), edit a price with If-Match, filter all orders', async () => {
    const name = `Shelf ${uniqueSku()}`;
    const created = await product(name, 4);
    const buyer = await e2e.api.registerAndLogin(uniqueEmail('declined'));
    const placed = await e2e.api.placeOrder(
      buyer.token,
      [{ productId: created.id, quantity: 1 }],
      'tok_chargeDeclined',
    );
    const declined = await e2e.api.waitForFinal(buyer.token, placed.body.id);
    await open();
    await signInInBrowser(e2e.stack.admin.email, e2e.stack.admin.password);
    await nav('Admin').click();
    await page.getByRole('searchbox', { name: 'Find products' }).fill(name);
    await page.getByRole('button', { name: 'Find' }).click();
    const restock = page.getByRole('form', { name: `Restock ${name}` });
    await restock.getByRole('spinbutton', { name: 'Quantity to add' }).fill('7');
    await restock.getByRole('button', { name: 'Restock' }).click();
    await page.getByRole('listitem', { name }).getByText('Added 7 to stock.').waitFor();
    await screenshot(page, 'admin');

    const card = page.getByRole('listitem', { name });
    const body = { priceCents: 1700 };
    await e2e.api.request('PATCH', `/api/products/${created.id}`, { token: e2e.adminToken, body });
    await card.getByRole('spinbutton', { name: 'Price (USD)' }).fill('19.99');
    await card.getByRole('button', { name: 'Save price' }).click();
    await card.getByRole('alert').getByText('changed by someone else').waitFor();
    expect((await e2e.api.getProduct(created.id)).priceCents).toBe(1700);
    await card.getByRole('button', { name: 'Reload product' }).click();
    // Reloading rewrites the form with the server's price; type only once it is done (the button goes away).
    await card.getByRole('button', { name: 'Reload product' }).waitFor({ state: 'detached' });
    await card.getByRole('spinbutton', { name: 'Price (USD)' }).fill('19.99');
    await card.getByRole('button', { name: 'Save price' }).click();
    await card.getByText('Price saved.').waitFor();
    expect((await e2e.api.getProduct(created.id)).priceCents).toBe(1999);

    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('FAILED');
    const allOrders = page.getByRole('table', { name: /every customer/i });
    // The first render after the change still shows the unfiltered table: wait for the filtered rows.
    const statuses = async () => new Set(await allOrders.locator('tbody tr td:nth-child(3)').allTextContents());
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(new Set(['FAILED']));
    await allOrders.getByRole('link', { name: `Order ${declined.id.slice(0, 8)}` }).waitFor();

    await addFromCatalogView(name);
    await page.getByRole('listitem', { name }).getByText('11 in stock').waitFor();
  });

  it("names each of the contract's links once per page, so a page-wide lookup by role and name finds one", async () => {
    const signedOut = ['/', '/signin', '/register', '/cart', '/orders', '/notifications'];
    for (const path of signedOut) {
      await open(path);
      await nav('Sign in').waitFor();
      await page.locator('main').getByText(/\w/).first().waitFor(); // the page's own content has rendered
      for (const name of ['Sign in', 'Register', 'Cart']) {
        expect(await page.getByRole('link', { name }).count(), `links named ${name} on ${path}`).toBe(1);
      }
    }
  });

  it('works with the keyboard alone and fits a phone-width screen', async () => {
    const name = `Lamp ${uniqueSku()}`;
    await product(name, 2);
    const email = uniqueEmail('keys');
    await e2e.api.registerAndLogin(email);
    const phone = await guarded.context.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    await phone.goto(`${e2e.stack.urls.api}/#/signin`);
    await phone.getByRole('heading', { name: 'Sign in' }).waitFor();
    await phone.keyboard.press('Tab');
    await phone.keyboard.type(email);
    await phone.keyboard.press('Tab');
    await phone.keyboard.type('password-123');
    await phone.keyboard.press('Enter');
    await phone.getByRole('button', { name: 'Sign out' }).waitFor();
    await phone.getByRole('heading', { name: 'Catalog' }).waitFor();
    await phone.keyboard.press('Tab');
    await phone.keyboard.type(name);
    await phone.keyboard.press('Enter');
    await searchApplied(phone);
    await phone.getByRole('listitem', { name }).waitFor();
    // From the heading: the search box, Search, the product's link, its Add to cart button.
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Enter']) await phone.keyboard.press(key);
    await phone.getByText(`Added ${name} to the cart.`).waitFor();
    expect(await phone.getByRole('link', { name: 'Cart' }).getAttribute('href')).toBe('#/cart');
    await screenshot(phone, 'catalog-phone');
    for (const path of ['/', '/cart', '/orders']) {
      await phone.goto(`${e2e.stack.urls.api}/#${path}`);
      await phone.getByRole('heading', { level: 1 }).waitFor();
      const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
      await screenshot(phone, `phone-${path.slice(1) || 'catalog'}`);
    }
  });

  it('shows non-zero throughput, latency and task-queue pollers in the operator view, figures and plots, under a short load run', async () => {
    await open();
    await signInInBrowser(e2e.stack.admin.email, e2e.stack.admin.password);
    await nav('Operator').click();
    const load = page.getByRole('form', { name: 'Load generator' });
    await load.getByRole('spinbutton', { name: 'Orders per second' }).fill('4');
    await load.getByRole('spinbutton', { name: 'Duration (seconds)' }).fill('10');
    await load.getByRole('button', { name: 'Start load' }).click();
    const loadState = page.getByRole('status', { name: 'Load generator state' });
    await expect.poll(() => loadState.textContent(), { timeout: 30_000 }).toMatch(/^Placing .* [1-9]\d* placed/);
    await expect.poll(() => marks('Task queue backlog', 'workflow tasks'), { timeout: 20_000 }).toBeGreaterThan(1);
    await expect
      .poll(() => highestPoint('Orders per minute by outcome', 'CONFIRMED'), { timeout: 30_000 })
      .toBe('above zero');
    await screenshot(page, 'operator-under-load');
    await expect.poll(() => loadState.textContent(), { timeout: 60_000 }).toMatch(/^Finished · [1-9]\d* placed/);
    const figure = (name: string) => async () => Number(await page.getByRole('status', { name }).textContent());
    await expect.poll(figure('Orders placed'), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    await expect.poll(figure('CONFIRMED'), { timeout: 45_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('status', { name: 'Latency p50' }).textContent()).toMatch(/^\d+ ms$/);
    expect(await figure('Workflow pollers')()).toBeGreaterThan(0);
    await page.getByRole('list', { name: 'Readiness' }).getByText('temporal: up').waitFor();
    await expectPlots();
    await screenshot(page, 'operator');
  });
});

/** The operator page's three plots: named images that draw the data, each with a text alternative. */
async function expectPlots() {
  const plots = page.getByRole('region', { name: 'Plots' });
  const caption = (name: string) => plots.getByRole('figure', { name: new RegExp(`^${name}\\.`) });
  for (const name of ['Orders per minute by outcome', 'Saga latency p50, p95, p99', 'Task queue backlog']) {
    await plots.getByRole('img', { name, exact: true }).waitFor();
    await caption(name).waitFor();
  }
  expect(await marks('Orders per minute by outcome', 'CONFIRMED')).toBe(10);
  expect(await highestPoint('Orders per minute by outcome', 'CONFIRMED')).toBe('above zero');
  expect(await caption('Orders per minute by outcome').textContent()).toMatch(/placed in 10 minutes: [1-9]\d*\./);
  const confirmed = plots.getByRole('table', { name: 'Orders per minute by outcome' }).getByRole('cell');
  expect((await confirmed.allTextContents()).some((cell) => /^[1-9]\d*$/.test(cell))).toBe(true);
  // Orders placed within one minute give one point per percentile, drawn as a dot.
  for (const p of ['p50', 'p95', 'p99']) expect(await marks('Saga latency p50, p95, p99', p)).toBeGreaterThan(0);
  expect(await caption('Saga latency p50, p95, p99').textContent()).toMatch(/p50 \d+ m?s, p95 \d+ m?s, p99 \d+ m?s\./);
  await expect.poll(() => marks('Task queue backlog', 'activity tasks')).toBeGreaterThan(1);
  expect(await caption('Task queue backlog').textContent()).toMatch(
    /workflow backlog \d+, activity backlog \d+ \(([2-9]|\d{2,}) samples/,
  );
}

/** How many points a plot draws for one series: a polyline's vertices, or 1 per lone dot. */
async function marks(plot: string, series: string): Promise<number> {
  const drawn = page.getByRole('img', { name: plot, exact: true }).locator(`[data-series="${series}"]`);
  const counts = await drawn.evaluateAll((els) =>
    els.map((el) => (el.tagName === 'circle' ? 1 : (el.getAttribute('points') ?? '').trim().split(/\s+/).length)),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Whether a series rises above the plot's zero line somewhere (the line reflects a non-zero value). */
async function highestPoint(plot: string, series: string): Promise<'above zero' | 'flat'> {
  const img = page.getByRole('img', { name: plot, exact: true });
  const zeroY = Number(await img.locator('.tick line').first().getAttribute('y1'));
  const points = (await img.locator(`polyline[data-series="${series}"]`).first().getAttribute('points')) ?? '';
  const ys = points
    .trim()
    .split(/\s+/)
    .map((pair) => Number(pair.split(',')[1]));
  return Math.min(...ys) < zeroY ? 'above zero' : 'flat';
}

async function addFromCatalogView(name: string) {
  await nav('Catalog').click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await searchApplied(page);
  await page.getByRole('listitem', { name }).waitFor();
}

/** The unfiltered list stays on screen until the search answers: wait for the one product that matches. */
async function searchApplied(on: Page) {
  await expect.poll(() => on.getByRole('list', { name: 'Products' }).getByRole('listitem').count()).toBe(1);
}

async function tokenOf(email: string) {
  return e2e.api.login(email, 'password-123');
}

async function notificationsExist(email: string) {
  const res = await e2e.api.request('GET', '/api/notifications', { token: await tokenOf(email) });
  return res.status === 200;
}
