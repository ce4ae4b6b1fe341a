import { ErrorCode } from '../../contracts/problem.js';
import { ServiceRejectedError } from '../../lib/service-transport.js';
import { rateLimited, type Limiter } from './limiter.js';

/** Failed logins are counted per account, whatever the letter case or padding of the email. */
const accountKey = (email: string) => email.trim().toLowerCase();

/**
 * Runs one login attempt against the account's budget of failures: a point is reserved before the (slow)
 * password check, so parallel guesses cannot all pass a check first, and given back unless the password was
 * wrong. Over the budget → 429 with Retry-After, without asking the users service.
 */
export async function withinLoginBudget<T>(limiter: Limiter, email: string, login: () => Promise<T>): Promise<T> {
  const key = accountKey(email);
  const wait = await limiter.take(key);
  if (wait > 0) throw rateLimited(wait, 'Too many failed logins for this account; try again later');
  try {
    const result = await login();
    await limiter.refund(key);
    return result;
  } catch (error) {
    const wrongPassword = error instanceof ServiceRejectedError && error.code === ErrorCode.INVALID_CREDENTIALS;
    if (!wrongPassword) await limiter.refund(key);
    throw error;
  }
}
