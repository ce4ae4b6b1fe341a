import { z } from 'zod';
import { Currency, Cursor, Limit } from './common.js';

export const ProductId = z.string().min(1).max(64);
const Sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');
const PriceCents = z.number().int().min(0).max(100_000_000);

export const Product = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
});
export type Product = z.infer<typeof Product>;

export const CreateProductRequest = z.strictObject({
  sku: Sku,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  priceCents: PriceCents,
  currency: Currency.optional(),
  stock: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;

export const UpdateProductRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5000).optional(),
    priceCents: PriceCents.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'at least one of name, description, priceCents')
  .meta({ minProperties: 1 });
export type UpdateProductRequest = z.infer<typeof UpdateProductRequest>;

export const RestockRequest = z.strictObject({ quantity: z.number().int().min(1).max(1_000_000) });

export const ListProductsQuery = z.object({
  q: z.string().max(200).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const LookupRequest = z.object({ ids: z.array(ProductId).min(1).max(100) });
export const LookupResponse = z.object({ items: z.array(Product), missing: z.array(z.string()) });

export const ReservationLine = z.object({ productId: ProductId, quantity: z.number().int().min(1).max(1_000_000) });
export const ReserveRequest = z.object({ lines: z.array(ReservationLine).min(1).max(50) });
export type ReserveRequest = z.infer<typeof ReserveRequest>;

const ReservationStatus = z.enum(['held', 'released', 'committed', 'rejected']);
export const Reservation = z.object({
  orderId: z.string(),
  status: ReservationStatus,
  lines: z.array(ReservationLine),
});
export type Reservation = z.infer<typeof Reservation>;

export const LedgerEntry = z.object({
  productId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['initial', 'restock', 'reserve', 'release', 'commit']),
  delta: z.number().int(),
  available: z.number().int(),
  orderId: z.string().nullable(),
  at: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;
