import { z } from 'zod';
import type { Problem } from './problem.js';

/** RFC 9457 problem details as this project sends them (the zod form of `Problem`). */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** @public A compile-time check, imported by no one: fails to compile when the schema and the interface drift apart. */
export const problemShapeAgrees: z.infer<typeof ProblemSchema> extends Problem ? true : never = true;
