import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildStorefront, storefrontIsStale } from '../../web/build.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = join(process.cwd(), '.data', 'screenshots');
const ALLOWED_HOSTS = new Set(['127.0.0.1']);

/** Builds dist/web when it is missing or older than web/ (a few seconds). */
export async function ensureStorefrontBuilt(): Promise<void> {
  if (await storefrontIsStale()) await buildStorefront();
}

export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface GuardedContext {
  context: BrowserContext;
  /** Every request the page tried to send anywhere but 127.0.0.1 (aborted, and a test failure). */
  offHost: string[];
  close(): Promise<void>;
}

/** A fresh browser profile whose requests may go to 127.0.0.1 only. */
export async function guardedContext(
  browser: Browser,
  viewport = { width: 1100, height: 900 },
): Promise<GuardedContext> {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const offHost: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const local = (url.protocol === 'http:' || url.protocol === 'https:') && ALLOWED_HOSTS.has(url.hostname);
    if (local || url.protocol === 'data:' || url.protocol === 'blob:') {
      return route.continue();
    }
    offHost.push(url.href);
    return route.abort('blockedbyclient');
  });
  return { context, offHost, close: () => context.close() };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
