// Offline validation of rendered objects against the Kubernetes OpenAPI schemas that `kubernetes-models`
// ships (types, required fields, enums, formats; unknown fields are not reported).
import type { Manifest } from './render.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: object) => Validatable;

/** Custom resources kubernetes-models has no schema for, checked by their own tests (observability.int.test.ts). */
const CHECKED_ELSEWHERE = new Set([
  'monitoring.coreos.com/v1 PrometheusRule',
  'monitoring.coreos.com/v1 ServiceMonitor',
]);

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass> {
  const module = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`)) as Record<
    string,
    ModelClass
  >;
  const model = module[kind];
  if (!model) throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  return model;
}

/** One line per object that does not validate, naming the object and the first violations. */
export async function schemaProblems(manifests: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  for (const manifest of manifests) {
    if (CHECKED_ELSEWHERE.has(`${manifest.apiVersion} ${manifest.kind}`)) continue;
    const Model = await modelClass(manifest.apiVersion, manifest.kind);
    try {
      new Model(manifest).validate();
    } catch (error) {
      problems.push(`${manifest.kind} ${manifest.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
