import { sql as raw } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from '../test/support/postgres.js';
import { preparedStatements } from './pg.js';

let url: string;
const clients: postgres.Sql[] = [];
/** One connection, so the session that ran the queries is the one asked about its prepared statements. */
const connect = () => {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  clients.push(client);
  return client;
};
/** The session's prepared statements that drizzle sent (they all end in a marker comment). */
const preparedByDrizzle = async (client: postgres.Sql) =>
  (await client.unsafe<{ statement: string }[]>(`select statement from pg_prepared_statements`, [], { prepare: false }))
    .map((row) => row.statement)
    .filter((statement) => statement.includes('-- drizzle'))
    .sort();

beforeAll(async () => {
  url = await createTestDatabase(inject('postgresUrl'), inject('runId'), 'lib_pg');
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end({ timeout: 5 })));
});

describe('preparedStatements', () => {
  it('leaves drizzle on unnamed statements without it (the round trip it saves)', async () => {
    const client = connect();
    await drizzle(client).execute(raw`select ${41}::int + 1 as answer -- drizzle`);
    expect(await preparedByDrizzle(client)).toEqual([]);
  });

  it('prepares drizzle queries, in transactions and savepoints too, with the same results', async () => {
    const client = connect();
    const db = drizzle(preparedStatements(client));
    const plain = await db.execute(raw`select ${41}::int + 1 as answer -- drizzle`);
    const inTx = await db.transaction(async (tx) => {
      const outer = await tx.execute(raw`select ${'a'}::text || ${'b'}::text as joined -- drizzle`);
      const inner = await tx.transaction((nested) =>
        nested.execute(raw`select ${2}::int * ${3}::int as product -- drizzle`),
      );
      return [outer[0], inner[0]];
    });
    expect(plain[0]).toEqual({ answer: 42 });
    expect(inTx).toEqual([{ joined: 'ab' }, { product: 6 }]);
    expect(await preparedByDrizzle(client)).toEqual([
      'select $1::int * $2::int as product -- drizzle',
      'select $1::int + 1 as answer -- drizzle',
      'select $1::text || $2::text as joined -- drizzle',
    ]);
  });

  it('rolls a failed transaction back as before', async () => {
    const client = connect();
    const db = drizzle(preparedStatements(client));
    await db.execute(raw`create table if not exists t (n int)`);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(raw`insert into t values (${1})`);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.execute(raw`select count(*)::int as n from t`)).toEqual([{ n: 0 }]);
  });
});
