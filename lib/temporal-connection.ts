import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, temporalSecurityFields, type TemporalSettings } from './config.js';

/** The address and the security variables; namespace and task queue are not connection settings. */
export type TemporalConnectionSettings = Pick<
  TemporalSettings,
  'TEMPORAL_ADDRESS' | keyof typeof temporalSecurityFields
>;

/** What both the client's `Connection` and the worker's `NativeConnection` take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean | null;
  apiKey?: string;
}

/**
 * Connection options from Temporal's environment configuration, read by Temporal's own loader: plain gRPC by
 * default; TLS with `TEMPORAL_TLS` or an API key; mTLS with a client certificate and key.
 */
export function temporalConnectionOptions(settings: TemporalConnectionSettings): TemporalConnectionOptions {
  const { TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key } = settings;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError([
      'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH: mTLS needs both, the certificate and its key',
    ]);
  }
  const env: Record<string, string> = {};
  for (const name of Object.keys(temporalSecurityFields) as (keyof typeof temporalSecurityFields)[]) {
    const value = settings[name];
    if (value !== undefined) env[name] = value;
  }
  let options;
  try {
    options = loadClientConnectConfig({ overrideEnvVars: env, disableFile: true }).connectionOptions;
  } catch (error) {
    throw new ConfigError([`Temporal TLS: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const apiKey = typeof options.apiKey === 'string' ? options.apiKey : undefined;
  return { address: settings.TEMPORAL_ADDRESS, tls: options.tls, ...(apiKey ? { apiKey } : {}) };
}

/** For logs: how the process talks to Temporal, never the secrets themselves. */
export function describeTemporalSecurity(options: TemporalConnectionOptions): string {
  const tls = typeof options.tls === 'object' && options.tls !== null ? options.tls : undefined;
  const transport = tls?.clientCertPair ? 'mTLS' : options.tls ? 'TLS' : 'plaintext';
  return options.apiKey ? `${transport} with an API key` : transport;
}
