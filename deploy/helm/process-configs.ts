// What each process's zod config schema demands of its environment, read from the schemas themselves.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ProcessConfig {
  /** Deployment name suffix in the chart. */
  process: string;
  /** Entry point relative to the image's /app (tsc output of the main.ts). */
  main: string;
  /** Variables without a default: the process refuses to start without them. */
  required: string[];
  /** Variables whose default points at the pod itself (127.0.0.1/localhost): useless in a cluster. */
  loopbackDefaults: string[];
  /** Every variable the schema reads. */
  known: string[];
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const def = (schema as unknown as { def: { type: string; in?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
  if (def.type === 'object' && def.shape) return def.shape;
  if (def.type === 'pipe' && def.in) return objectShape(def.in);
  throw new Error(`unsupported config schema type ${def.type}`);
}

/** The module's exported object schema with the most keys (modules may also export shared pieces). */
function processSchema(module: Record<string, unknown>, file: string): Record<string, z.ZodType> {
  const shapes = Object.values(module)
    .filter((value): value is z.ZodType => value instanceof z.ZodType)
    .flatMap((schema) => {
      try {
        return [objectShape(schema)];
      } catch {
        return [];
      }
    })
    .sort((a, b) => Object.keys(b).length - Object.keys(a).length);
  if (!shapes[0]) throw new Error(`${file} exports no zod object schema`);
  return shapes[0];
}

function describe(process: string, main: string, shape: Record<string, z.ZodType>): ProcessConfig {
  const required: string[] = [];
  const loopbackDefaults: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const parsed = field.safeParse(undefined);
    if (!parsed.success) required.push(key);
    else if (/127\.0\.0\.1|localhost/.test(JSON.stringify(parsed.data) ?? '')) loopbackDefaults.push(key);
  }
  return { process, main, required, loopbackDefaults, known: Object.keys(shape) };
}

/** The gateway, the worker and every service under services/ that has a config.ts and a main.ts. */
export async function loadProcessConfigs(): Promise<ProcessConfig[]> {
  const entries = [
    { process: 'api', dir: 'api' },
    { process: 'worker', dir: 'workers' },
    ...readdirSync(`${root}services`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ process: entry.name, dir: `services/${entry.name}` })),
  ].filter(({ dir }) => existsSync(`${root}${dir}/config.ts`) && existsSync(`${root}${dir}/main.ts`));
  return Promise.all(
    entries.map(async ({ process, dir }) => {
      const file = `${root}${dir}/config.ts`;
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      return describe(process, `dist/${dir}/main.js`, processSchema(module, file));
    }),
  );
}
