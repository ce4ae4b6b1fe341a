import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
/** Where the built storefront goes; the gateway serves it from here (api/storefront.ts). */
export const STOREFRONT_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function newestSourceMtime(): Promise<number> {
  const sources = [...(await files(join(webDir, 'src'))), join(webDir, 'index.html'), join(webDir, 'vite.config.ts')];
  const times = await Promise.all(sources.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

/** True when dist/web is missing or older than a source file. */
export async function storefrontIsStale(): Promise<boolean> {
  try {
    const built = (await stat(join(STOREFRONT_DIR, 'index.html'))).mtimeMs;
    return built < (await newestSourceMtime());
  } catch {
    return true;
  }
}

/** Builds the storefront with Vite and prints each file's size (raw and gzipped). */
export async function buildStorefront(): Promise<void> {
  await build({ configFile: join(webDir, 'vite.config.ts') });
  let total = 0;
  let totalGzip = 0;
  for (const file of (await files(STOREFRONT_DIR)).sort()) {
    const content = await readFile(file);
    const gzipped = gzipSync(content).length;
    total += content.length;
    totalGzip += gzipped;
    console.log(`storefront ${relative(STOREFRONT_DIR, file).padEnd(32)} ${kb(content.length)}  gzip ${kb(gzipped)}`);
  }
  console.log(`storefront total ${' '.repeat(27)}${kb(total)}  gzip ${kb(totalGzip)}`);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(6)} kB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const onlyIfStale = process.argv.includes('--if-stale');
  if (!onlyIfStale || (await storefrontIsStale())) await buildStorefront();
}
