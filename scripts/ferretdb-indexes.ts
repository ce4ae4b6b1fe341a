// FerretDB 1.24 on PostgreSQL filters a collection with `_jsonb->$1 @> $2`, which the B-tree indexes it
// creates on `(_jsonb -> 'field')` cannot serve: every lookup reads the whole table, so a reservation costs
// more with every order ever placed. A GIN index on the same expression can serve it once the statement is
// planned with its parameters, which FERRETDB_PLAN_SETTINGS asks for on FerretDB's connections.
import { createHash } from 'node:crypto';
import postgres from 'postgres';

/** Runtime parameters for FerretDB's PostgreSQL URL (pgx passes unknown query parameters to the server). */
export const FERRETDB_PLAN_SETTINGS = { plan_cache_mode: 'force_custom_plan' } as const;

interface Lookup {
  schema: string;
  table: string;
  field: string;
}

const FIELD = /\(_jsonb -> '((?:[^']|'')+)'::text\)/g;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
/** Names fit PostgreSQL's 63 bytes whatever the table, and say whose twin they are. */
const ginName = ({ schema, table, field }: Lookup) =>
  `gin_${createHash('sha256').update(`${schema}.${table}.${field}`).digest('hex').slice(0, 20)}`;

/** Every field a FerretDB index covers, per table (FerretDB's own metadata tables aside). */
async function indexedFields(sql: postgres.Sql): Promise<Lookup[]> {
  const rows = await sql<{ schema: string; table: string; indexdef: string }[]>`
    select schemaname as schema, tablename as table, indexdef from pg_indexes
    where indexdef like '%USING btree%(_jsonb -> %' and tablename not like '\\_ferretdb\\_%'`;
  const lookups = new Map<string, Lookup>();
  for (const { schema, table, indexdef } of rows) {
    for (const [, quoted] of indexdef.matchAll(FIELD)) {
      const field = quoted!.replaceAll("''", "'");
      lookups.set(`${schema}.${table}.${field}`, { schema, table, field });
    }
  }
  return [...lookups.values()];
}

/**
 * Gives every field a FerretDB index covers a GIN twin, so equality lookups use an index. Idempotent; run
 * it once the service has created its collections and indexes. Returns how many indexes it created.
 */
export async function indexFerretDbLookups(postgresUrl: string): Promise<number> {
  const sql = postgres(postgresUrl, { max: 1, onnotice: () => undefined });
  try {
    const existing = new Set(
      (await sql<{ name: string }[]>`select indexname as name from pg_indexes`).map((r) => r.name),
    );
    let created = 0;
    for (const lookup of await indexedFields(sql)) {
      const name = ginName(lookup);
      if (existing.has(name)) continue;
      const table = `${ident(lookup.schema)}.${ident(lookup.table)}`;
      await sql.unsafe(
        `create index if not exists ${ident(name)} on ${table} using gin ((_jsonb -> ${literal(lookup.field)}))`,
      );
      created += 1;
    }
    return created;
  } finally {
    await sql.end();
  }
}
