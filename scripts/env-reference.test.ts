import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observabilityPortDescriptions, otherVariables } from './env-descriptions.js';
import { REFERENCE_PATH, renderReference, ROOT } from './env-reference.js';
import { OBSERVABILITY_PORTS } from './observability.js';

describe('docs/configuration.md', () => {
  it('is what the config schemas generate (after changing a schema: npm run docs:env)', async () => {
    const committed = await readFile(REFERENCE_PATH, 'utf8');
    expect(committed, 'docs/configuration.md is stale: run `npm run docs:env`').toBe(await renderReference());
  });

  it('lists only variables still read where it says, and describes every observability port', async () => {
    for (const { name, readIn } of otherVariables)
      expect(await readFile(join(ROOT, readIn), 'utf8'), `${name} in ${readIn}`).toContain(name);
    for (const name of Object.keys(OBSERVABILITY_PORTS))
      if (name !== 'TEMPORAL_METRICS_PORT') expect(observabilityPortDescriptions, name).toHaveProperty(name);
  });
});

const docs = ['README.md', 'DEVELOPERS.md', ...readdirSync(join(ROOT, 'docs')).map((file) => `docs/${file}`)].filter(
  (file) => file.endsWith('.md'),
);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

async function anchorsIn(file: string): Promise<string[]> {
  const text = (await readFile(join(ROOT, file), 'utf8')).replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1] ?? ''));
}

/** Every `[text](target)` outside code blocks that is not a URL. */
async function relativeLinks(file: string): Promise<string[]> {
  const text = (await readFile(join(ROOT, file), 'utf8')).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

/** Top-level folders of the repository (not generated ones): a `code` span starting with one names a file. */
const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !['node_modules', 'dist', '.data', '.git'].includes(entry.name))
  .map((entry) => entry.name);

/** Repository paths written as `code` (`api/orders/cancel.ts`, `deploy/helm/`, any `x/y.md`): no placeholders, no globs. */
async function pathsNamed(file: string): Promise<string[]> {
  const text = (await readFile(join(ROOT, file), 'utf8')).replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/`([\w.-]+(?:\/[\w.-]+)+\/?)`/g)]
    .map((match) => match[1] ?? '')
    .filter((path) => folders.includes(path.split('/')[0] ?? '') || path.endsWith('.md'));
}

describe('relative links in README.md, DEVELOPERS.md and docs/', () => {
  it('finds the docs and their links', async () => {
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'DEVELOPERS.md', 'docs/configuration.md']));
    expect((await relativeLinks('README.md')).length).toBeGreaterThan(0);
    expect(await pathsNamed('DEVELOPERS.md')).toContain('api/orders/cancel.ts');
  });

  it.each(docs)('%s links only to files and headings that exist', async (file) => {
    const broken: string[] = [];
    for (const link of await relativeLinks(file)) {
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? file : join(dirname(file), decodeURIComponent(path));
      if (!existsSync(join(ROOT, target))) broken.push(`${link} (no file ${target})`);
      else if (anchor && target.endsWith('.md') && !(await anchorsIn(target)).includes(anchor))
        broken.push(`${link} (no heading #${anchor} in ${target})`);
    }
    expect(broken).toEqual([]);
  });

  it.each(docs)('%s names only repository paths that exist', async (file) => {
    const missing = (await pathsNamed(file)).filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });
});
