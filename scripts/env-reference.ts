// `npm run docs:env`: writes docs/configuration.md, the environment-variable reference, from every process's zod
// config schema and scripts/env-descriptions.ts. scripts/env-reference.test.ts fails when the committed file is stale.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { descriptions, observabilityPortDescriptions, otherVariables } from './env-descriptions.js';
import { OBSERVABILITY_PORTS } from './observability.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const REFERENCE_PATH = `${ROOT}docs/configuration.md`;

interface Use {
  process: string;
  shown: string;
}
interface Variable {
  name: string;
  uses: Use[];
  description: string;
}

/** Each process's config schema: the launcher (`npm start`), the gateway, the worker, then every service. */
export function configFiles(): { process: string; file: string }[] {
  const services = readdirSync(`${ROOT}services`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${ROOT}services/${entry.name}/config.ts`))
    .map((entry) => ({ process: entry.name, file: `services/${entry.name}/config.ts` }));
  return [
    { process: 'launcher', file: 'scripts/start-config.ts' },
    { process: 'api', file: 'api/config.ts' },
    { process: 'worker', file: 'workers/config.ts' },
    ...services,
  ];
}

/** The module's exported object schema with the most fields (a config module may also export shared pieces). */
function shapeOf(module: Record<string, unknown>, file: string): Record<string, z.ZodType> {
  const shapes = Object.values(module)
    .filter((value): value is z.ZodObject => value instanceof z.ZodObject)
    .map((schema) => schema.shape as Record<string, z.ZodType>)
    .sort((a, b) => Object.keys(b).length - Object.keys(a).length);
  if (!shapes[0]) throw new Error(`${file} exports no zod object schema`);
  return shapes[0];
}

const showDefault = (value: unknown) => (value === '' ? 'empty' : `\`${String(value)}\``);

/** The default as written in the environment (before any transform), and a `.describe()` text at any layer. */
function fieldFacts(field: z.ZodType): { shown: string; description?: string } {
  let description: string | undefined;
  let shown: string | undefined;
  for (let layer: z.ZodType | undefined = field; layer;) {
    description ??= layer.description;
    const def = layer.def as unknown as { type: string; in?: z.ZodType; innerType?: z.ZodType; defaultValue?: unknown };
    if (def.type === 'default' || def.type === 'prefault') shown ??= showDefault(def.defaultValue);
    if (def.type === 'optional') shown ??= 'unset';
    layer = def.type === 'pipe' ? def.in : def.innerType;
  }
  shown ??= field.safeParse(undefined).success ? 'unset' : 'required';
  return description === undefined ? { shown } : { shown, description };
}

/** Every variable of every schema with the processes that read it; throws when one has no description. */
export async function collectVariables(): Promise<Variable[]> {
  const found = new Map<string, { uses: Use[]; files: string[]; description?: string }>();
  for (const { process, file } of configFiles()) {
    const module = (await import(pathToFileURL(`${ROOT}${file}`).href)) as Record<string, unknown>;
    for (const [name, field] of Object.entries(shapeOf(module, file))) {
      const facts = fieldFacts(field);
      const entry = found.get(name) ?? { uses: [], files: [] };
      entry.uses.push({ process, shown: facts.shown });
      entry.files.push(file);
      entry.description ??= facts.description;
      found.set(name, entry);
    }
  }
  const problems = [...found]
    .filter(([name, entry]) => entry.description === undefined && descriptions[name] === undefined)
    .map(([name, { files }]) => `${name} (${files.join(', ')}) has no description: add .describe('…') to its field`);
  for (const name of Object.keys(descriptions))
    if (!found.has(name)) problems.push(`${name} is described in scripts/env-descriptions.ts but no schema has it`);
  if (problems.length > 0) throw new Error(`Environment reference:\n  ${problems.join('\n  ')}`);
  return [...found]
    .map(([name, entry]) => ({ name, uses: entry.uses, description: entry.description ?? descriptions[name] ?? '' }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** One default for all processes, or each default with the processes that have it. */
function defaults(uses: Use[]): string {
  const byDefault = new Map<string, string[]>();
  for (const { process, shown } of uses) byDefault.set(shown, [...(byDefault.get(shown) ?? []), process]);
  if (byDefault.size === 1) return [...byDefault.keys()].join('');
  return [...byDefault].map(([shown, processes]) => `${shown} (${processes.join(', ')})`).join('; ');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const intro = `# Configuration

<!-- Generated by \`npm run docs:env\` from the zod config schemas: edit a schema's \`.describe()\` or
scripts/env-descriptions.ts, then run it. scripts/env-reference.test.ts fails when this file is stale. -->

Every process reads its settings from environment variables through one zod schema in its \`config.ts\`
(fields shared by several processes are defined once in [\`lib/config.ts\`](../lib/config.ts)). A bad value
is reported with every other problem at once, and the process exits 1. \`launcher\` is \`npm start\`
([\`scripts/start-config.ts\`](../scripts/start-config.ts)); \`api\` is the gateway. The processes \`npm start\`
runs inherit its environment (\`RATE_LIMIT_IP_PER_MIN=0 npm start\` reaches the gateway), except what the
launcher sets itself: the service URLs and databases, \`SERVICE_TOKEN\`, \`TEMPORAL_ADDRESS\`, \`MONGO_URL\`, the
admin account and the demo catalog. A default below is what a process uses when nothing sets the variable.`;

/** docs/configuration.md, formatted as prettier would. */
export async function renderReference(): Promise<string> {
  const variables = await collectVariables();
  const inSchemas = new Set(variables.map((v) => v.name));
  const ports = Object.entries(OBSERVABILITY_PORTS).filter(([name]) => !inSchemas.has(name));
  const markdown = [
    intro,
    '## Variables of the config schemas',
    table(
      ['variable', 'read by', 'default', 'meaning'],
      variables.map((v) => [`\`${v.name}\``, v.uses.map((u) => u.process).join(', '), defaults(v.uses), v.description]),
    ),
    '## Observability ports',
    'Read by the launcher with `npm start -- --observability` (defaults in `scripts/observability.ts`).',
    table(
      ['variable', 'default', 'what listens there'],
      ports.map(([name, port]) => [`\`${name}\``, `\`${port}\``, observabilityPortDescriptions[name] ?? '']),
    ),
    '## Read outside the schemas',
    table(
      ['variable', 'read by', 'default', 'meaning'],
      otherVariables.map((v) => [`\`${v.name}\``, v.processes, v.default, v.description]),
    ),
  ].join('\n\n');
  return format(markdown, { ...(await resolveConfig(REFERENCE_PATH)), parser: 'markdown' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await writeFile(REFERENCE_PATH, await renderReference());
  process.stdout.write(`wrote ${REFERENCE_PATH}\n`);
}
