import { z } from 'zod';

export const Cursor = z.string().min(1).max(512);
export const Limit = z.coerce.number().int().min(1).max(100).default(20);
/** The one currency the shop sells and charges in: the catalog refuses any other. */
export const SHOP_CURRENCY = 'USD';

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
  .default(SHOP_CURRENCY);

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
