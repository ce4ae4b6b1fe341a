import type { IndexDescription, ObjectId } from 'mongodb';
import type { z } from 'zod';
import type { LedgerEntry, ReservationLine } from '../../contracts/products.js';

/** What an admin can edit; every revision stores all of it. */
export interface EditableFields {
  name: string;
  description: string;
  priceCents: number;
  currency: string;
}

/** The editable fields here are a cache of the head revision (the creation state while `rev` is 0 or absent). */
export interface ProductDoc extends EditableFields {
  _id: ObjectId;
  sku: string;
  /** Lower-cased sku: the unique index makes SKUs unique case-insensitively. */
  skuKey: string;
  /** The revision the cached fields come from: a starting point for the head search, never trusted alone. */
  rev?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One append-only catalog edit: the full editable state after it. Revs of a product are gap-free from 1. */
export interface RevisionDoc extends EditableFields {
  productId: string;
  rev: number;
  at: Date;
}

export type MovementKind = LedgerEntry['kind'];

/** One append-only inventory movement; `available` is the product's balance after it. */
export interface LedgerDoc {
  productId: string;
  seq: number;
  kind: MovementKind;
  delta: number;
  available: number;
  orderId: string | null;
  opKey: string;
  at: Date;
}

export type Line = z.infer<typeof ReservationLine>;

/** Inserted once per order: the insert is the decision. */
export interface ReservationDoc {
  _id: string;
  status: 'held' | 'rejected';
  lines: Line[];
  shortProductId?: string;
  at: Date;
}

/** Inserted once per order, so commit and release have exactly one winner. */
export interface FinalDoc {
  _id: string;
  kind: 'released' | 'committed';
  at: Date;
}

/** The collections and their indexes; the unique ones are what the service's correctness rests on. */
export const collectionNames = {
  products: 'products',
  ledger: 'inventory_ledger',
  reservations: 'reservations',
  finals: 'reservation_finals',
  revisions: 'product_revisions',
} as const;

export const indexes: [keyof typeof collectionNames, IndexDescription][] = [
  ['products', { key: { skuKey: 1 }, name: 'sku_key_unique', unique: true }],
  ['ledger', { key: { productId: 1, seq: -1 }, name: 'product_seq_unique', unique: true }],
  ['ledger', { key: { opKey: 1 }, name: 'op_key_unique', unique: true }],
  ['ledger', { key: { orderId: 1 }, name: 'order_id' }],
  ['revisions', { key: { productId: 1, rev: -1 }, name: 'product_rev_unique', unique: true }],
];
