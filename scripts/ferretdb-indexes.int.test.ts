import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl } from './databases.js';
import { indexFerretDbLookups } from './ferretdb-indexes.js';
import { startFerretDb } from './infra.js';
import { freePort, type ManagedProcess } from './processes.js';
import { ensureFerretDb } from './tools.js';

const label = `${inject('runId')}_ferret_lookups`;
const postgresUrl = databaseUrl(inject('postgresUrl'), label);
let ferret: ManagedProcess;
let mongo: MongoClient;
let sql: postgres.Sql;
let ledger: Collection<{ _id: string; productId: string; seq: number }>;

beforeAll(async () => {
  const port = await freePort();
  ferret = await startFerretDb({
    bin: await ensureFerretDb(),
    port,
    postgresUrl,
    stateDir: join(inject('logDir'), label),
    output: createWriteStream(join(inject('logDir'), `${label}.log`)),
  });
  mongo = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`);
  ledger = mongo.db('shop').collection('ledger');
  await ledger.createIndex({ productId: 1, seq: 1 }, { unique: true });
  const entries = Array.from({ length: 2000 }, (_, i) => ({ _id: `p${i % 10}:${i}`, productId: `p${i % 10}`, seq: i }));
  await ledger.insertMany(entries);
  sql = postgres(postgresUrl, { max: 1, onnotice: () => undefined });
}, 120_000);

afterAll(async () => {
  await mongo?.close();
  await sql?.end();
  await ferret?.stop();
});

/** Sequential and index scans PostgreSQL ran on the collection's table during `lookups`. */
async function scansDuring(lookups: () => Promise<unknown>, expected: number) {
  const read = async () => {
    const [row] = await sql<{ seq: string; idx: string }[]>`
      select coalesce(sum(seq_scan), 0) as seq, coalesce(sum(idx_scan), 0) as idx
      from pg_stat_user_tables where schemaname = 'shop' and relname like 'ledger%'`;
    return { seq: Number(row!.seq), idx: Number(row!.idx) };
  };
  const before = await read();
  await lookups();
  // An idle backend reports its counts up to 10 s later (PostgreSQL's pgstat idle interval).
  const delta = async () => {
    const now = await read();
    return { seq: now.seq - before.seq, idx: now.idx - before.idx };
  };
  const deadline = Date.now() + 20_000;
  let counted = await delta();
  while (counted.seq + counted.idx < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    counted = await delta();
  }
  return counted;
}

const lookUp20 = async () => {
  for (let i = 0; i < 20; i++) {
    expect(await ledger.findOne({ productId: 'p3', seq: 13 + i * 10 })).not.toBeNull();
    expect(await ledger.findOne({ _id: `p4:${14 + i * 10}` })).not.toBeNull();
  }
};

describe('FerretDB lookups', () => {
  it('read the whole table without the GIN twins, and use an index with them', { timeout: 90_000 }, async () => {
    // Negative control: FerretDB's own B-tree indexes serve none of these filters.
    const unindexed = await scansDuring(lookUp20, 40);
    expect(unindexed.seq).toBeGreaterThanOrEqual(40);
    expect(unindexed.idx).toBe(0);

    expect(await indexFerretDbLookups(postgresUrl)).toBe(3); // _id, productId, seq
    expect(await indexFerretDbLookups(postgresUrl)).toBe(0);
    const indexed = await scansDuring(lookUp20, 40);
    expect(indexed.seq).toBeLessThan(5); // FerretDB's own statements may still be reported late
    expect(indexed.idx).toBeGreaterThanOrEqual(40);
  });
});
