import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchAttributeKeys } from '../../contracts/order-saga.js';
import { ensureHelm } from '../../scripts/tools.js';
import { imageProblems, processProblems, resourceProblems, securityProblems, workloads } from './container-checks.js';
import { loadProcessConfigs, type ProcessConfig } from './process-configs.js';
import { CHART_DIR, podSpec, renderChart, renderError, type Manifest } from './render.js';
import { schemaProblems } from './schema-validation.js';

const fullname = 'shop-durable-shop';
let configs: ProcessConfig[];
/** Every process found in the source tree is switched on, so a new one without a chart entry fails. */
let everyProcess: string[];

// The first run on a machine builds Helm with `go install` (minutes on two cores).
beforeAll(() => ensureHelm(), 1_500_000);

beforeAll(async () => {
  configs = await loadProcessConfigs();
  everyProcess = configs.flatMap(({ process }) => ['--set', `${process}.enabled=true`]);
}, 600_000);

const chartMadeSecret = [
  '--set-string',
  'secrets.jwtPrivateKeys=[{"kty":"OKP"}]',
  '--set-string',
  'secrets.payloadKeys=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  '--set-string',
  'postgresql.usersDatabaseUrl=postgres://u:p@pg:5432/shop_users',
  '--set-string',
  'postgresql.ordersDatabaseUrl=postgres://u:p@pg:5432/shop_orders',
  '--set-string',
  'postgresql.notificationsDatabaseUrl=postgres://u:p@pg:5432/shop_notifications',
  '--set-string',
  'mongodb.url=mongodb://u:p@mongo:27017/',
  '--set-string',
  'rabbitmq.url=amqp://u:p@rabbitmq:5672/',
  '--set-string',
  'redis.url=redis://redis:6379/0',
];

const scenarios: [string, () => string[]][] = [
  ['default values (with an existing Secret)', () => ['--set', 'secrets.existingSecret=shop-secrets']],
  ['values-dev.yaml', () => ['-f', `${CHART_DIR}/values-dev.yaml`, ...everyProcess]],
  ['values-production.yaml', () => ['-f', `${CHART_DIR}/values-production.yaml`, ...everyProcess]],
  ['a chart-made Secret', () => [...chartMadeSecret, ...everyProcess]],
];

describe.each(scenarios)('the chart rendered with %s', (_name, args) => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart(args());
  }, 600_000);

  it('validates against the Kubernetes schemas', async () => {
    expect(await schemaProblems(manifests)).toEqual([]);
    const deployment = manifests.find((m) => m.kind === 'Deployment')!;
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(await schemaProblems([broken])).toHaveLength(1);
  });

  it('runs every enabled process, each container meeting its config schema', () => {
    for (const config of configs) {
      const deployment = manifests.find(
        (m) => m.kind === 'Deployment' && m.metadata.name === `${fullname}-${config.process}`,
      );
      expect(deployment, `Deployment for ${config.process}`).toBeDefined();
      const [container] = podSpec(deployment!).containers;
      expect({ [config.process]: processProblems(container!, config) }).toEqual({ [config.process]: [] });
    }
  });

  it('gives every container a pinned image, limits and a locked-down security context', () => {
    const all = workloads(manifests);
    expect(all.length).toBeGreaterThan(5);
    const problems = all.flatMap(({ manifest, pod, container }) =>
      [...imageProblems(container), ...resourceProblems(container), ...securityProblems(container, pod)].map(
        (problem) => `${manifest.metadata.name}/${container.name}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('signs tokens with keys from the Secret, so every users replica agrees', () => {
    const users = manifests.find((m) => m.metadata.name === `${fullname}-users` && m.kind === 'Deployment');
    const env = podSpec(users!).containers[0]!.env ?? [];
    expect(env.find((v) => v.name === 'JWT_PRIVATE_KEYS')?.valueFrom?.secretKeyRef?.optional).toBeUndefined();
  });
});

describe('the chart', () => {
  it('refuses to render without secrets, naming what is missing', async () => {
    const error = await renderError();
    for (const value of ['secrets.jwtPrivateKeys', 'secrets.payloadKeys', 'postgresql.usersDatabaseUrl', 'mongodb.url'])
      expect(error).toContain(value);
  });

  it('refuses an unpinned image and a misspelt value', async () => {
    const existing = ['--set', 'secrets.existingSecret=s'];
    expect(await renderError([...existing, '--set', 'image.tag=latest'])).toContain('/image/tag');
    const adminTools = '--set=temporal.searchAttributes.image.tag=';
    expect(await renderError([...existing, adminTools])).toContain('pinned tag');
    expect(await renderError([...existing, '--set', 'notification.enabled=true'])).toContain("'notification'");
  });

  it('stores in its own Secret every key a container reads from it', async () => {
    const manifests = await renderChart([...chartMadeSecret, ...everyProcess]);
    const secret = manifests.find((m) => m.kind === 'Secret');
    const referenced = workloads(manifests).flatMap(({ container }) =>
      (container.env ?? []).flatMap((v) => (v.valueFrom?.secretKeyRef ? [v.valueFrom.secretKeyRef.key] : [])),
    );
    expect(referenced.filter((key) => !(key in (secret?.stringData ?? {})))).toEqual([]);
    expect(secret?.stringData?.SERVICE_TOKEN?.length).toBeGreaterThanOrEqual(16);
  });

  it('scales, shields and isolates the processes', async () => {
    const manifests = await renderChart(['-f', `${CHART_DIR}/values-production.yaml`, ...everyProcess]);
    const named = (kind: string) => manifests.filter((m) => m.kind === kind).map((m) => m.metadata.name);
    expect(named('HorizontalPodAutoscaler').sort()).toEqual([`${fullname}-api`, `${fullname}-worker`]);
    expect(named('PodDisruptionBudget').sort()).toEqual(named('Deployment').sort());
    const services = configs.map(({ process }) => process).filter((process) => !['api', 'worker'].includes(process));
    expect(services).toEqual(expect.arrayContaining(['users', 'products', 'orders']));
    for (const service of services) {
      const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === `${fullname}-${service}`);
      const rules = policy?.spec?.ingress as { from?: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
      const clients = rules[0]?.from?.map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/component']);
      expect(clients).toEqual(['api', 'worker']);
    }
    const worker = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === `${fullname}-worker`);
    // workers/main.ts drains for up to 20 s after SIGTERM; the kubelet must not kill it sooner.
    expect(podSpec(worker!).terminationGracePeriodSeconds).toBeGreaterThan(20);
  });

  it("registers the saga's search attributes and migrates under the services' own lock keys", async () => {
    const manifests = await renderChart(['--set', 'secrets.existingSecret=s']);
    const job = manifests.find((m) => m.metadata.name === `${fullname}-search-attributes`);
    const listed = podSpec(job!).containers[0]!.env!.find((v) => v.name === 'SEARCH_ATTRIBUTES')?.value;
    const expected = Object.values(SearchAttributeKeys).map(
      ({ name, type }) => `${name}=${type[0]}${type.slice(1).toLowerCase()}`,
    );
    expect(listed?.split(' ').sort()).toEqual(expected.sort());
    const composeSetup = readFileSync('deploy/compose/temporal-setup.sh', 'utf8');
    expect(/for name in ([\w ]+); do/.exec(composeSetup)?.[1]?.split(' ').sort()).toEqual(
      Object.values(SearchAttributeKeys)
        .map(({ name }) => name)
        .sort(),
    );

    const configMap = manifests.find((m) => m.metadata.name === `${fullname}-migrate`) as
      { data?: Record<string, string> } | undefined;
    const script = configMap?.data?.['migrate.mjs'] ?? '';
    // The Job runs each PostgreSQL service's own migrate(): one per services/*/migrations.ts.
    const migrating = readdirSync('services').filter((name) => existsSync(`services/${name}/drizzle`));
    for (const name of migrating) expect(script).toContain(`/app/dist/services/${name}/migrations.js`);
  });
});
