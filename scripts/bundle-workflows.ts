// The worker's workflow bundle, built once with webpack and reused while the workflow code is unchanged,
// so a worker (re)starts in about a second instead of bundling for 5–8 s (WORKFLOW_BUNDLE_PATH).
//   npx tsx scripts/bundle-workflows.ts   writes dist/workflow-bundle.js (with the tracing interceptors)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../lib/payload-keys.js';
import { WORKFLOW_TRACING_MODULE } from '../workers/tracing.js';
import { defaultWorkflowsPath } from '../workers/worker.js';
import { toolCacheDir } from './tools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdkVersion = (createRequire(import.meta.url)('@temporalio/workflow/package.json') as { version: string }).version;

/** Source files the bundle is made of: workflows/, contracts/ and the failure converter (tests, test helpers and histories aside). */
async function sourceFiles(): Promise<string[]> {
  const files: string[] = [FAILURE_CONVERTER_PATH];
  for (const dir of [dirname(defaultWorkflowsPath()), join(dirname(defaultWorkflowsPath()), '..', 'contracts')]) {
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      const path = join(entry.parentPath, entry.name);
      if (!entry.isFile() || !/\.(ts|js)$/.test(entry.name) || /\.test\.(ts|js)$/.test(entry.name)) continue;
      if (/[\\/](test-support|histories)[\\/]/.test(path)) continue;
      files.push(path);
    }
  }
  return files.sort();
}

/**
 * The SDK needs an inline source map, and maps every frame of every workflow promise's stack trace
 * through it: line-only mappings without the sources' text keep file:line in traces at a fraction of
 * the memory and CPU of webpack's full map.
 */
const SOURCE_MAP_KIND = 'inline-nosources-cheap-module-source-map';

/** Changes with any workflow source, the SDK version and whether the tracing interceptors are in. */
export async function workflowSourceHash(tracing: boolean): Promise<string> {
  const hash = createHash('sha256').update(`sdk ${sdkVersion} tracing ${tracing} devtool ${SOURCE_MAP_KIND}\n`);
  for (const file of await sourceFiles()) hash.update(`${relative(root, file)}\n`).update(await readFile(file));
  return hash.digest('hex').slice(0, 16);
}

/** The bundle's code as the worker ships it; another `workflowsPath` gets the same interceptors and settings (replay checks). */
export async function shippedBundleCode(tracing: boolean, workflowsPath = defaultWorkflowsPath()): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: tracing ? [WORKFLOW_TRACING_MODULE] : [],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({ ...config, devtool: SOURCE_MAP_KIND }),
  });
  return code;
}

export async function buildWorkflowBundle(out: string, tracing: boolean, workflowsPath?: string): Promise<void> {
  const code = await shippedBundleCode(tracing, workflowsPath);
  await mkdir(dirname(out), { recursive: true });
  // Written aside, then renamed: a concurrent start never reads half a bundle.
  const partial = `${out}.${process.pid}.partial`;
  await writeFile(partial, code);
  await rename(partial, out);
}

/** Where bundles are cached, one per source hash; older ones stay (the launcher drains older builds from them). */
export const workflowBundleCacheDir = () => join(toolCacheDir(), '..', 'workflow-bundles');

/** The cached bundle for the current sources (built if missing); returns its path. */
export async function ensureWorkflowBundle(options: { tracing: boolean; cacheDir?: string }): Promise<string> {
  const cacheDir = options.cacheDir ?? workflowBundleCacheDir();
  const out = join(cacheDir, `workflow-bundle-${await workflowSourceHash(options.tracing)}.js`);
  if (!existsSync(out)) await buildWorkflowBundle(out, options.tracing);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // The image's bundle carries the tracing interceptors: they trace only when the worker has an exporter.
  const out = join(process.cwd(), 'dist', 'workflow-bundle.js');
  await buildWorkflowBundle(out, true);
  process.stdout.write(`workflow bundle written to ${out}\n`);
}
