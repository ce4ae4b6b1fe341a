import type { Logger } from '../../lib/logger.js';
import type { PasswordHasher } from './passwords.js';
import type { UserStore } from './store.js';

export interface AdminSeed {
  email: string;
  password: string;
  name?: string;
}

export type SeedOutcome = 'created' | 'exists';

/** Creates the admin when its email is free; the unique index makes concurrent start-ups safe. */
export async function seedAdmin(
  deps: { store: UserStore; passwords: PasswordHasher; logger: Logger },
  admin: AdminSeed,
): Promise<SeedOutcome> {
  const { store, passwords, logger } = deps;
  if (await store.findByEmail(admin.email)) {
    logger.info({ event: 'seed_admin', outcome: 'exists' }, 'admin account already exists');
    return 'exists';
  }
  const row = await store.insert({
    email: admin.email,
    name: admin.name ?? 'Administrator',
    passwordHash: await passwords.hash(admin.password),
    role: 'admin',
  });
  const outcome: SeedOutcome = row ? 'created' : 'exists';
  logger.info(
    { event: 'seed_admin', outcome, userId: row?.id },
    outcome === 'created' ? 'admin account created' : 'admin account already exists',
  );
  return outcome;
}
