import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Context, Hono } from 'hono';
import type { GatewayEnv } from './context.js';

export interface StorefrontOptions {
  /** The Temporal Web UI the order page links to (`TEMPORAL_UI_URL`). */
  temporalUiUrl: string;
  temporalNamespace: string;
  /** The built storefront (`npm run build` writes it); relative to the working directory. */
  root?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
// Vite names every asset after its content hash, so a plain name is all that can be asked for.
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** index.html with the gateway's settings written into its `<meta>` tags. */
export function renderIndex(html: string, options: StorefrontOptions): string {
  const values: Record<string, string> = {
    'temporal-ui-url': options.temporalUiUrl,
    'temporal-namespace': options.temporalNamespace,
  };
  return html.replace(/<meta name="([a-z-]+)" content="" \/>/g, (tag, name: string) =>
    name in values ? `<meta name="${name}" content="${escapeAttribute(values[name]!)}" />` : tag,
  );
}

/**
 * Serves the storefront (built into dist/web) at `GET /` and its hashed files under `/assets/`.
 * The page is one document with hash routes, so no other path needs it.
 */
export function registerStorefront(app: Hono<GatewayEnv>, options: StorefrontOptions): void {
  const root = resolve(options.root ?? 'dist/web');
  let index: string | undefined;

  const page = async (c: Context) => {
    try {
      index ??= renderIndex(await readFile(join(root, 'index.html'), 'utf8'), options);
    } catch {
      return c.text('The storefront is not built yet: run `npm run build`.', 503);
    }
    return c.html(index, 200, { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });
  };
  app.get('/', page);
  app.get('/index.html', page);
  app.get('/assets/:name', async (c, next) => {
    const name = c.req.param('name');
    const type = CONTENT_TYPES[extname(name)];
    if (!ASSET_NAME.test(name) || !type) return next();
    let body: Buffer;
    try {
      body = await readFile(join(root, 'assets', name));
    } catch {
      return next();
    }
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });
}
