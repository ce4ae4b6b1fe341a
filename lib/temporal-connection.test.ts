import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, TemporalSettingsSchema } from './config.js';
import { describeTemporalSecurity, temporalConnectionOptions } from './temporal-connection.js';

const settings = (env: Record<string, string>) => parseConfig(TemporalSettingsSchema, env);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temporal-tls-'));
  await writeFile(join(dir, 'client.crt'), 'client certificate');
  await writeFile(join(dir, 'client.key'), 'client key');
  await writeFile(join(dir, 'ca.crt'), 'server ca');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('temporalConnectionOptions', () => {
  it('is plain gRPC to the address when nothing else is set', () => {
    const options = temporalConnectionOptions(settings({ TEMPORAL_ADDRESS: 'temporal:7233' }));
    expect(options).toEqual({ address: 'temporal:7233', tls: undefined });
    expect(describeTemporalSecurity(options)).toBe('plaintext');
  });

  it('turns TLS on with an API key, as Temporal Cloud expects', () => {
    const options = temporalConnectionOptions(
      settings({ TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'key-123' }),
    );
    expect(options).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', tls: true, apiKey: 'key-123' });
    expect(describeTemporalSecurity(options)).toBe('TLS with an API key');
  });

  it('reads the client certificate, key and server CA for mTLS', () => {
    const options = temporalConnectionOptions(
      settings({
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.crt'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.crt'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }),
    );
    const tls = options.tls as { clientCertPair: { crt: Buffer; key: Buffer } } & Record<string, unknown>;
    expect(Buffer.from(tls.clientCertPair.crt).toString()).toBe('client certificate');
    expect(Buffer.from(tls.clientCertPair.key).toString()).toBe('client key');
    expect(Buffer.from(tls.serverRootCACertificate as Buffer).toString()).toBe('server ca');
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(describeTemporalSecurity(options)).toBe('mTLS');
  });

  it('refuses a certificate without its key, an unreadable file and a TLS flag it cannot read', () => {
    expect(() =>
      temporalConnectionOptions(settings({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.crt') })),
    ).toThrow(/mTLS needs both/);
    expect(() =>
      temporalConnectionOptions(
        settings({
          TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.crt'),
          TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
        }),
      ),
    ).toThrow(ConfigError);
    expect(() => settings({ TEMPORAL_TLS: 'on' })).toThrow(/TEMPORAL_TLS/);
  });
});
