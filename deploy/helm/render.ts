// Renders the chart with the cached Helm and types what the tests read from the manifests.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ensureHelm } from '../../scripts/tools.js';

const run = promisify(execFile);

export const CHART_DIR = fileURLToPath(new URL('./durable-shop', import.meta.url));

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: object }[];
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { template?: { spec: PodSpec } };
  stringData?: Record<string, string>;
}

/** `helm template` of the chart with the given extra arguments (`-f`, `--set`), parsed. */
export async function renderChart(args: string[] = []): Promise<Manifest[]> {
  const helm = await ensureHelm();
  const { stdout } = await run(helm, ['template', 'shop', CHART_DIR, '--namespace', 'shop', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** The error text of a render that must fail. */
export async function renderError(args: string[] = []): Promise<string> {
  try {
    await renderChart(args);
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
  throw new Error('the render succeeded');
}

export function podSpec(manifest: Manifest): PodSpec {
  const spec = manifest.spec?.template?.spec;
  if (!spec) throw new Error(`${manifest.kind} ${manifest.metadata.name} has no pod template`);
  return spec;
}

/** Mebibytes of a Kubernetes memory quantity (Mi, Gi, M, G, or bytes). */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`unsupported memory quantity ${quantity}`);
  const factor = { Mi: 1, Gi: 1024, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 }[match[2] ?? ''] ?? 1 / 2 ** 20;
  return Number(match[1]) * factor;
}
