import { z } from 'zod';

export const IsoDate = z.string();
export const Cursor = z.string().min(1).max(512);
export const Limit = z.coerce.number().int().min(1).max(100).default(20);
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
  .default('USD');

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
