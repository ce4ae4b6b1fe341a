import { z } from 'zod';
import { DEFAULT_PORTS, listenOn, processFields } from '../../lib/config.js';
import { Email, Password, TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../../contracts/users.js';

export const MAX_ACCESS_TOKEN_TTL_SECONDS = 900;

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
      if (config.ADMIN_EMAIL !== undefined && !Email.safeParse(config.ADMIN_EMAIL).success) {
        ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'must be a valid email address' });
      }
      const password = config.ADMIN_PASSWORD === undefined ? undefined : Password.safeParse(config.ADMIN_PASSWORD);
      if (password && !password.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['ADMIN_PASSWORD'],
          message: password.error.issues[0]?.message ?? 'invalid',
        });
      }
    },
    { when: () => true },
  );
export type UsersConfig = z.infer<typeof UsersConfig>;
