import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from './context.js';
import { registerStorefront, renderIndex } from './storefront.js';

const options = { temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' };
const html =
  '<html><head><meta name="temporal-ui-url" content="" />' +
  '<meta name="temporal-namespace" content="" /><meta name="other" content="" /></head></html>';
let root: string;

function app(at = root) {
  const hono = new Hono<GatewayEnv>();
  registerStorefront(hono, { ...options, root: at });
  return hono;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'storefront-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), html);
  await writeFile(join(root, 'assets', 'index-AbC123.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'no');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('storefront', () => {
  it('writes the Temporal UI address into index.html, escaped, and leaves other tags alone', () => {
    const out = renderIndex(html, { temporalUiUrl: 'http://x/"><script>', temporalNamespace: 'ns' });
    expect(out).toContain('<meta name="temporal-ui-url" content="http://x/&quot;&gt;&lt;script&gt;" />');
    expect(out).toContain('<meta name="temporal-namespace" content="ns" />');
    expect(out).toContain('<meta name="other" content="" />');
  });

  it('serves the page at / with a same-origin content policy', async () => {
    const res = await app().request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('content="http://127.0.0.1:8233"');
  });

  it('serves hashed assets with a long cache and nothing outside assets/', async () => {
    const asset = await app().request('/assets/index-AbC123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of [
      '/assets/missing.js',
      '/assets/..%2Fsecret.txt',
      '/assets/%2e%2e%2fsecret.txt',
      '/secret.txt',
    ]) {
      expect((await app().request(path)).status, path).toBe(404);
    }
  });

  it('answers 503 with a hint when the storefront is not built', async () => {
    const res = await app(join(root, 'nowhere')).request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
