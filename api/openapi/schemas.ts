import { z } from 'zod';
import { ProblemSchema } from '../../contracts/problem-schema.js';

export { ProblemSchema };

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Error answers every route may give, keyed by status, for the OpenAPI document. */
export const problems = {
  400: problem('Validation failed or malformed JSON'),
  401: problem('Missing, invalid or expired access token'),
  403: problem('Authenticated, but the role does not allow this'),
  404: problem('Not found'),
  409: problem('Conflict with the current state'),
  412: problem('PRECONDITION_FAILED: If-Match names no current state; read the resource again'),
  413: problem('Request body too large'),
  415: problem('Body is not application/json'),
  422: problem('Idempotency-Key reused with a different body'),
  429: {
    ...problem('Rate limited'),
    headers: {
      'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
    },
  },
  503: problem('A dependency is unavailable'),
} as const;

export const pick = <K extends keyof typeof problems>(...statuses: K[]) =>
  Object.fromEntries(statuses.map((status) => [status, problems[status]])) as Pick<typeof problems, K>;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParams = z.object({ id: z.string().min(1).max(128) });
export const bearer = [{ bearer: [] }];
