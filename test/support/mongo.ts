/** A per-file MongoDB database name under the run id (FerretDB maps it to a PostgreSQL schema). */
export function testMongoDbName(runId: string, label: string): string {
  return `${runId}_${label}_${Math.random().toString(36).slice(2, 8)}`.replace(/[^A-Za-z0-9_]/g, '_');
}
