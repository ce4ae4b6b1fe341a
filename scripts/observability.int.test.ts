import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  observabilityFor,
  plannedPorts,
  PROMETHEUS_DIR,
  prometheusConfig,
  RULE_FILES,
  RULES_DIR,
  stackTargets,
} from './observability.js';
import { ensurePromtool } from './tools.js';

const run = promisify(execFile);
const COMPOSE_TOKEN_FILE = '/run/secrets/service_token';
const RULE_TESTS = join(PROMETHEUS_DIR, 'tests/rules.test.yml');
let promtool: string;

beforeAll(async () => {
  promtool = await ensurePromtool();
}, 1_800_000);

describe('Prometheus rules (promtool)', () => {
  it('recording and alert rules pass promtool check rules', async () => {
    const { stdout } = await run(promtool, ['check', 'rules', ...RULE_FILES]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('alert and recording rules pass their unit tests (promtool test rules)', async () => {
    const { stdout } = await run(promtool, ['test', 'rules', RULE_TESTS]);
    expect(stdout).toContain('SUCCESS');
  });

  it('a wrong expectation fails promtool test rules, so the unit tests can fail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rules-test-'));
    try {
      const source = await readFile(RULE_TESTS, 'utf8');
      const broken = source
        .replaceAll('../../../helm/durable-shop/rules/', RULES_DIR)
        .replace('summary: worker (127.0.0.1:3004) cannot be scraped', 'summary: all is well');
      await writeFile(join(dir, 'broken.test.yml'), broken);
      await expect(run(promtool, ['test', 'rules', join(dir, 'broken.test.yml')])).rejects.toMatchObject({
        stderr: expect.stringContaining('FAILED'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the launcher’s generated prometheus.yml passes promtool check config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prom-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      const serviceTokenFile = join(dir, 'service-token');
      await writeFile(serviceTokenFile, 'a-token');
      const config = prometheusConfig({
        targets: { 'temporal-sdk': '127.0.0.1:9464' },
        serviceTargets: { api: '127.0.0.1:3000', worker: '127.0.0.1:3004' },
        serviceTokenFile,
      });
      await writeFile(file, JSON.stringify(config));
      const { stdout } = await run(promtool, ['check', 'config', file]);
      expect(stdout).toContain('SUCCESS');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the compose prometheus.yml passes promtool check config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prom-compose-'));
    try {
      // Inside the container the rules are mounted next to the config; here they are found by absolute path.
      const source = await readFile(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8');
      expect(source).toContain(COMPOSE_TOKEN_FILE); // the compose secret, mounted by deploy/observability/compose.yml
      await writeFile(join(dir, 'service-token'), 'a-token');
      const local = source
        .replaceAll('/etc/prometheus/rules/', RULES_DIR)
        .replaceAll(COMPOSE_TOKEN_FILE, join(dir, 'service-token'));
      await writeFile(join(dir, 'prometheus.yml'), local);
      const { stdout } = await run(promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(stdout).toContain('SUCCESS');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the --observability switch', () => {
  it('is off unless asked for, by flag or by OBSERVABILITY', () => {
    expect(observabilityFor(['node', 'start.ts'], {})).toBeUndefined();
    expect(observabilityFor(['node', 'start.ts'], { OBSERVABILITY: '0' })).toBeUndefined();
    expect(observabilityFor(['node', 'start.ts'], { OBSERVABILITY: '1' })?.ports.PROMETHEUS_PORT).toBe(9090);
  });

  it('scrapes the app processes with the service token and the Temporal exporters without it', () => {
    const config = prometheusConfig({
      targets: { temporal: 'h:1' },
      serviceTargets: { api: '127.0.0.1:3000' },
      serviceTokenFile: '/data/prometheus/service-token',
    });
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'api',
        static_configs: [{ targets: ['127.0.0.1:3000'] }],
        authorization: { type: 'Bearer', credentials_file: '/data/prometheus/service-token' },
      },
      { job_name: 'temporal', static_configs: [{ targets: ['h:1'] }] },
    ]);
    expect(() => prometheusConfig({ targets: {}, serviceTargets: { api: 'h:2' } })).toThrow(/serviceTokenFile/);
    expect(observabilityFor(['--observability'], { SERVICE_TOKEN: 'from-env' })?.serviceToken).toBe('from-env');
    expect(observabilityFor(['--observability'], {})?.serviceToken).toBeUndefined();
  });

  it('hands the worker its SDK metrics port and scrapes every process', () => {
    const plan = observabilityFor(['node', 'start.ts', '--observability'], { TEMPORAL_METRICS_PORT: '19464' })!;
    expect(plan.appEnv).toEqual({
      TEMPORAL_METRICS_PORT: '19464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    const targets = stackTargets(
      { api: 'http://127.0.0.1:3000', worker: 'http://127.0.0.1:3004' },
      { temporal: 'h:1' },
    );
    expect(targets).toEqual({ api: '127.0.0.1:3000', worker: '127.0.0.1:3004', temporal: 'h:1' });
  });

  it('runs Jaeger and points every process at it, on ports the environment can move', () => {
    const plan = observabilityFor(['--observability'], { JAEGER_OTLP_PORT: '14318', JAEGER_QUERY_PORT: '16000' })!;
    expect(plan.jaeger).toEqual({ otlp: 14318, query: 16000, health: 13133 });
    expect(plan.appEnv.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:14318');
    expect(plannedPorts(plan)).toMatchObject({
      PROMETHEUS_PORT: 9090,
      JAEGER_OTLP_PORT: 14318,
      JAEGER_HEALTH_PORT: 13133,
    });
  });

  it('leaves the user’s own OTLP collector in place: no Jaeger, no override, its ports not claimed', () => {
    const plan = observabilityFor(['--observability'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })!;
    expect(plan.jaeger).toBeUndefined();
    expect(plan.appEnv).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(Object.keys(plannedPorts(plan)).sort()).toEqual([
      'PROMETHEUS_PORT',
      'TEMPORAL_METRICS_PORT',
      'TEMPORAL_SERVER_METRICS_PORT',
    ]);
    expect(plannedPorts(undefined)).toEqual({});
  });
});
