import { ErrorCode } from '../../contracts/problem.js';
import type {
  AccountStatus,
  LoginRequest,
  PublicUser,
  RegisterRequest,
  TokenResponse,
  UserRecord,
} from '../../contracts/users.js';
import type { Logger } from '../../lib/logger.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import type { PasswordHasher } from './passwords.js';
import type { UserRow } from './schema.js';
import { normaliseEmail, type UserStore } from './store.js';
import type { TokenIssuer } from './tokens.js';

export interface AccountsDeps {
  store: UserStore;
  passwords: PasswordHasher;
  tokens: TokenIssuer;
  logger: Logger;
}

export interface Accounts {
  register: (request: RegisterRequest) => Promise<PublicUser>;
  login: (request: LoginRequest) => Promise<TokenResponse>;
  get: (id: string) => Promise<UserRecord>;
  setStatus: (id: string, status: AccountStatus) => Promise<UserRecord>;
}

const toPublicUser = (row: UserRow): PublicUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
});
const toUserRecord = (row: UserRow): UserRecord => ({
  ...toPublicUser(row),
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});

const emailTaken = () => new ProblemError(409, ErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
// One answer for unknown email, wrong password and disabled account: nothing to enumerate.
const invalidCredentials = () => new ProblemError(401, ErrorCode.INVALID_CREDENTIALS, 'Email or password is incorrect');

export function createAccounts({ store, passwords, tokens, logger }: AccountsDeps): Accounts {
  return {
    register: async ({ email, password, name }) => {
      const passwordHash = await passwords.hash(password);
      const row = await store.insert({ email, name, passwordHash });
      if (!row) {
        logger.info({ event: 'register', outcome: 'email_taken' }, 'registration refused');
        throw emailTaken();
      }
      logger.info({ event: 'register', outcome: 'created', userId: row.id }, 'user registered');
      return toPublicUser(row);
    },
    login: async ({ email, password }) => {
      const row = await store.findByEmail(normaliseEmail(email));
      const valid = row
        ? await passwords.verify(row.passwordHash, password)
        : await passwords.verifyAgainstDummy(password);
      if (!row || !valid || row.status !== 'active') {
        const reason = !row ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled';
        logger.info({ event: 'login', outcome: 'refused', reason, userId: row?.id }, 'login refused');
        throw invalidCredentials();
      }
      logger.info({ event: 'login', outcome: 'success', userId: row.id }, 'user logged in');
      return tokens.issue({ sub: row.id, role: row.role });
    },
    get: async (id) => {
      const row = await store.findById(id);
      if (!row) throw notFound('User not found');
      return toUserRecord(row);
    },
    setStatus: async (id, status) => {
      const row = await store.setStatus(id, status);
      if (!row) throw notFound('User not found');
      logger.info({ event: 'set_status', userId: id, status }, 'account status changed');
      return toUserRecord(row);
    },
  };
}
