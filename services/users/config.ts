import { z } from 'zod';
import { DEFAULT_PORTS, listenOn, processFields } from '../../lib/config.js';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../contracts/users.js';
import { DEFAULT_PASSWORD_CAPACITY } from './password-capacity.js';

const MAX_ACCESS_TOKEN_TTL_SECONDS = 900;

/**
 * The operator's admin account is looser than a registration (`admin@localhost`, a short dev password):
 * refusing it would keep the whole shop down; what matters is that the login route can take it.
 * With NODE_ENV=production the password needs 12 characters (lib/config.ts, for every *PASSWORD*).
 */
const AdminEmail = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+$/);
const MAX_LOGIN_PASSWORD_LENGTH = 1024;

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export const UsersConfig = z
  .object({
    ...listenOn('USERS', DEFAULT_PORTS.users),
    USERS_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/shop_users'),
    ...processFields,
    DATA_DIR: z.string().min(1).default('.data'),
    JWT_ISSUER: z.string().min(1).default(TOKEN_ISSUER_DEFAULT),
    JWT_AUDIENCE: z.string().min(1).default(TOKEN_AUDIENCE_DEFAULT),
    JWT_PRIVATE_KEYS: optional,
    ACCESS_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_ACCESS_TOKEN_TTL_SECONDS)
      .default(MAX_ACCESS_TOKEN_TTL_SECONDS),
    ADMIN_EMAIL: optional,
    ADMIN_PASSWORD: optional,
    PASSWORD_HASHING_CONCURRENCY: z.coerce.number().int().min(1).default(DEFAULT_PASSWORD_CAPACITY.concurrent),
    PASSWORD_HASHING_QUEUE: z.coerce.number().int().min(0).default(DEFAULT_PASSWORD_CAPACITY.queued),
    PASSWORD_HASHING_MAX_WAIT_MS: z.coerce.number().int().min(1).default(DEFAULT_PASSWORD_CAPACITY.maxWaitMs),
  })
  // `when` runs the admin checks even when other variables are invalid, so every problem is listed.
  .superRefine(
    (config, ctx) => {
      if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
        const missing = config.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
        ctx.addIssue({
          code: 'custom',
          path: [missing],
          message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
        });
      }
      if (config.ADMIN_EMAIL !== undefined && !AdminEmail.safeParse(config.ADMIN_EMAIL).success) {
        ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'must be an email address (name@host)' });
      }
      if (config.ADMIN_PASSWORD !== undefined && config.ADMIN_PASSWORD.length > MAX_LOGIN_PASSWORD_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: ['ADMIN_PASSWORD'],
          message: `must be at most ${MAX_LOGIN_PASSWORD_LENGTH} characters (the longest a login accepts)`,
        });
      }
    },
    { when: () => true },
  );
export type UsersConfig = z.infer<typeof UsersConfig>;
