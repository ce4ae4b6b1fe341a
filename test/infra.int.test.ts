import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import postgres from 'postgres';
import { inject, describe, expect, it } from 'vitest';
import { SearchAttribute } from '../contracts/order-saga.js';
import { createTestDatabase } from './support/postgres.js';

describe('test infrastructure', () => {
  it('has a Temporal server with the saga search attributes', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const name of Object.values(SearchAttribute)) expect(attrs.customAttributes).toHaveProperty(name);
    } finally {
      await connection.close();
    }
  });

  it('has a MongoDB-protocol server', async () => {
    const client = await MongoClient.connect(inject('mongoUrl'));
    try {
      const result = await client.db('admin').command({ ping: 1 });
      expect(result.ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('creates throwaway PostgreSQL databases', async () => {
    const url = await createTestDatabase(inject('postgresUrl'), inject('runId'), 'infra');
    const sql = postgres(url, { max: 1 });
    try {
      const [row] = await sql`select current_database() as name`;
      expect(row?.name).toContain(inject('runId'));
    } finally {
      await sql.end();
    }
  });
});
