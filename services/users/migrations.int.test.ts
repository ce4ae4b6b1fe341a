import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.js';
import { migrate } from './migrations.js';

const pools: postgres.Sql[] = [];
afterAll(async () => {
  await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
});

async function freshDatabase(label: string) {
  const url = await createTestDatabase(inject('postgresUrl'), inject('runId'), label);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  pools.push(sql);
  return { url, sql };
}

const appliedMigrations = async (sql: postgres.Sql) =>
  (await sql`select hash from drizzle.__drizzle_migrations order by id`).map((row) => String(row.hash));

describe('users migrations', () => {
  it('apply to an empty database and are a no-op on restart', async () => {
    const { url, sql } = await freshDatabase('users_mig');
    expect(await sql`select 1 from information_schema.tables where table_name = 'users'`).toHaveLength(0);
    await migrate(url);
    const columns =
      await sql`select column_name from information_schema.columns where table_name = 'users' order by column_name`;
    expect(columns.map((c) => c.column_name)).toEqual([
      'created_at',
      'email',
      'id',
      'name',
      'password_hash',
      'role',
      'status',
    ]);
    const applied = await appliedMigrations(sql);
    expect(applied.length).toBeGreaterThan(0);
    await sql`insert into users (email, name, password_hash) values ('keep@example.com', 'Keep', 'x')`;

    await migrate(url);
    expect(await appliedMigrations(sql)).toEqual(applied);
    expect(await sql`select email from users`).toEqual([{ email: 'keep@example.com' }]);
  });

  it('apply exactly once when two processes migrate at the same time', async () => {
    const { url, sql } = await freshDatabase('users_mig_race');
    await Promise.all([migrate(url), migrate(url)]);
    const applied = await appliedMigrations(sql);
    expect(new Set(applied).size).toBe(applied.length);
    expect(applied).toHaveLength(1);
  });

  it('enforce case-insensitive email uniqueness and valid roles in the database itself', async () => {
    const { url, sql } = await freshDatabase('users_constraints');
    await migrate(url);
    await sql`insert into users (email, name, password_hash) values ('Mixed@Example.com', 'A', 'x')`;
    await expect(
      sql`insert into users (email, name, password_hash) values ('mixed@example.COM', 'B', 'x')`,
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      sql`insert into users (email, name, password_hash, role) values ('r@example.com', 'R', 'x', 'root')`,
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      sql`insert into users (email, name, password_hash, status) values ('s@example.com', 'S', 'x', 'gone')`,
    ).rejects.toMatchObject({ code: '23514' });
  });
});
