import { MongoServerError, type Collection, type Db } from 'mongodb';
import {
  collectionNames,
  type FinalDoc,
  type LedgerDoc,
  type ProductDoc,
  type ReservationDoc,
  type RevisionDoc,
} from './schema.js';

export interface Store {
  db: Db;
  products: Collection<ProductDoc>;
  ledger: Collection<LedgerDoc>;
  reservations: Collection<ReservationDoc>;
  finals: Collection<FinalDoc>;
  revisions: Collection<RevisionDoc>;
  /** Throws when the database does not answer. */
  ping: () => Promise<void>;
}

export function createStore(db: Db): Store {
  return {
    db,
    products: db.collection<ProductDoc>(collectionNames.products),
    ledger: db.collection<LedgerDoc>(collectionNames.ledger),
    reservations: db.collection<ReservationDoc>(collectionNames.reservations),
    finals: db.collection<FinalDoc>(collectionNames.finals),
    revisions: db.collection<RevisionDoc>(collectionNames.revisions),
    ping: async () => void (await db.command({ ping: 1 })),
  };
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
