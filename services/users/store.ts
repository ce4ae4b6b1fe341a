import { eq, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { AccountStatus, Role } from '../../contracts/users.js';
import { users, type UserRow } from './schema.js';

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role?: Role;
}

export interface UserStore {
  /** Returns undefined when the (case-insensitive) email is already taken. */
  insert: (user: NewUser) => Promise<UserRow | undefined>;
  findByEmail: (email: string) => Promise<UserRow | undefined>;
  findById: (id: string) => Promise<UserRow | undefined>;
  setStatus: (id: string, status: AccountStatus) => Promise<UserRow | undefined>;
  ping: () => Promise<void>;
}

const UNIQUE_VIOLATION = '23505';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Trim + lowercase: the form stored and compared; the unique index on lower(email) backs it up. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function createUserStore(db: PostgresJsDatabase): UserStore {
  return {
    insert: async (user) => {
      try {
        const [row] = await db
          .insert(users)
          .values({ ...user, email: normaliseEmail(user.email) })
          .returning();
        return row;
      } catch (error) {
        if (pgCode(error) === UNIQUE_VIOLATION) return undefined;
        throw withoutParameters(error);
      }
    },
    findByEmail: async (email) => {
      const [row] = await db
        .select()
        .from(users)
        .where(eq(sql`lower(${users.email})`, normaliseEmail(email)))
        .limit(1);
      return row;
    },
    findById: async (id) => {
      if (!UUID.test(id)) return undefined;
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row;
    },
    setStatus: async (id, status) => {
      if (!UUID.test(id)) return undefined;
      const [row] = await db.update(users).set({ status }).where(eq(users.id, id)).returning();
      return row;
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
  };
}

/** drizzle wraps driver errors in DrizzleQueryError; the PostgreSQL code sits on the cause. */
function pgCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

// DrizzleQueryError's message lists the bound parameters, which include the password hash.
function withoutParameters(error: unknown): Error {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = pgCode(error);
  const message = `users insert failed${code ? ` (${code})` : ''}: ${cause?.message ?? 'database error'}`;
  // The code stays, so an outage (e.g. ECONNREFUSED) is still recognised as one.
  return Object.assign(new Error(message), { code });
}
