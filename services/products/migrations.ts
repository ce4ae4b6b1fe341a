import type { Db } from 'mongodb';
import { collectionNames, indexes } from './schema.js';

/**
 * The products "migrations": its indexes, created idempotently at every start. One index per call:
 * FerretDB 1.24 drops the connection when a multi-index createIndexes repeats.
 */
export async function migrate(db: Db): Promise<void> {
  for (const [collection, spec] of indexes) {
    await db.collection(collectionNames[collection]).createIndexes([spec]);
  }
}
