// What every container the chart renders must satisfy; each check returns the problems it finds.
import type { Container, Manifest, PodSpec } from './render.js';
import { mebibytes } from './render.js';
import type { ProcessConfig } from './process-configs.js';

/** Read by main.ts outside the schema. */
const READ_OUTSIDE_SCHEMA = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT']);

/** The gateway's /readyz checks every service, so its readiness probe is the process's own health. */
const GATEWAY_READY_PATH = '/healthz';

/** Wired ahead of the features landing in parallel: Redis-shared rate limits (issue 15), order events (issue 13). */
const AWAITED_BY: Record<string, string[]> = { api: ['REDIS_URL'], orders: ['AMQP_URL'] };

export function imageProblems(container: Container): string[] {
  const match = /^[^@\s]+:([\w][\w.-]{0,127})(@sha256:[a-f0-9]{64})?$/.exec(container.image);
  if (!match) return [`image ${container.image} has no tag`];
  return match[1] === 'latest' ? [`image ${container.image} is not pinned`] : [];
}

export function securityProblems(container: Container, pod: PodSpec): string[] {
  const own = container.securityContext ?? {};
  const either = (key: string) => own[key] ?? pod.securityContext?.[key];
  const problems: string[] = [];
  if (own.readOnlyRootFilesystem !== true) problems.push('root filesystem is writable');
  if (own.allowPrivilegeEscalation !== false) problems.push('privilege escalation allowed');
  if (either('runAsNonRoot') !== true) problems.push('may run as root');
  if (!own.capabilities?.drop?.includes('ALL')) problems.push('capabilities not all dropped');
  if ((either('seccompProfile') as { type?: string } | undefined)?.type !== 'RuntimeDefault')
    problems.push('no RuntimeDefault seccomp profile');
  const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
  if (!tmp || !pod.volumes?.some((volume) => volume.name === tmp.name && volume.emptyDir))
    problems.push('no emptyDir at /tmp');
  return problems;
}

export function resourceProblems(container: Container): string[] {
  const { requests = {}, limits = {} } = container.resources ?? {};
  const problems = ['cpu', 'memory'].flatMap((resource) => [
    ...(requests[resource] ? [] : [`no ${resource} request`]),
    ...(limits[resource] ? [] : [`no ${resource} limit`]),
  ]);
  if (requests.memory && limits.memory && mebibytes(requests.memory) > mebibytes(limits.memory))
    problems.push('memory request above its limit');
  return problems;
}

/** Probes, port, entry point and environment of a process's container, against its config schema. */
export function processProblems(container: Container, config: ProcessConfig): string[] {
  const problems: string[] = [];
  const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  const command = container.command ?? [];
  const flagsOnly = command.slice(1, -1).every((arg) => arg.startsWith('--'));
  if (command[0] !== 'node' || command.at(-1) !== config.main || !flagsOnly) problems.push(`runs ${command.join(' ')}`);
  const readyPath = config.process === 'api' ? GATEWAY_READY_PATH : '/readyz';
  if (container.readinessProbe?.httpGet?.path !== readyPath) problems.push(`readiness probe is not ${readyPath}`);
  if (container.livenessProbe?.httpGet?.path !== '/healthz') problems.push('liveness probe is not /healthz');
  const http = container.ports?.find((port) => port.name === 'http');
  const portKey = config.known.find((key) => key.endsWith('_PORT'));
  if (!http || !portKey || env.get(portKey)?.value !== String(http.containerPort))
    problems.push(`${portKey ?? 'the *_PORT variable'} does not match the http port`);
  for (const key of config.required) if (!env.has(key)) problems.push(`required ${key} missing`);
  for (const key of config.loopbackDefaults) if (!env.has(key)) problems.push(`${key} left at a loopback default`);
  for (const [name, variable] of env) {
    if (/127\.0\.0\.1|localhost/.test(variable.value ?? '')) problems.push(`${name} points at the pod itself`);
    const awaited = AWAITED_BY[config.process]?.includes(name) ?? false;
    if (!config.known.includes(name) && !READ_OUTSIDE_SCHEMA.has(name) && !awaited)
      problems.push(`${name} is read by nothing`);
  }
  return problems;
}

/** Every container of every workload (Deployments and hook Jobs). */
export function workloads(manifests: Manifest[]): { manifest: Manifest; pod: PodSpec; container: Container }[] {
  return manifests
    .filter((manifest) => ['Deployment', 'Job'].includes(manifest.kind))
    .flatMap((manifest) => {
      const pod = manifest.spec!.template!.spec;
      return pod.containers.map((container) => ({ manifest, pod, container }));
    });
}
