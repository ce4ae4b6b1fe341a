import { randomBytes } from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';

/** OWASP Password Storage Cheat Sheet, argon2id option 2: 19 MiB, 2 passes, 1 lane. */
const OWASP_ARGON2ID: Options = {
  // Algorithm.Argon2id; the enum is `const` and cannot be read under isolatedModules.
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export interface PasswordHasher {
  hash: (password: string) => Promise<string>;
  verify: (passwordHash: string, password: string) => Promise<boolean>;
  /** Spends the same time as a real verify, for logins with an unknown email. */
  verifyAgainstDummy: (password: string) => Promise<false>;
}

export async function createPasswordHasher(options: Options = OWASP_ARGON2ID): Promise<PasswordHasher> {
  const dummyHash = await hash(randomBytes(32).toString('base64url'), options);
  return {
    hash: (password) => hash(password, options),
    verify: async (passwordHash, password) => {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash must read as a failed login, never as a 500 that reveals the account.
        return false;
      }
    },
    verifyAgainstDummy: async (password) => {
      await verify(dummyHash, password).catch(() => false);
      return false;
    },
  };
}
