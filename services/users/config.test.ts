import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config.js';
import { UsersConfig } from './config.js';

const token = 'x'.repeat(16);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(UsersConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('UsersConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(UsersConfig, { SERVICE_TOKEN: token })).toEqual({
      USERS_PORT: 3001,
      USERS_HOST: '127.0.0.1',
      USERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_users',
      SERVICE_TOKEN: token,
      DATA_DIR: '.data',
      JWT_ISSUER: 'durable-shop-users',
      JWT_AUDIENCE: 'durable-shop-api',
      JWT_PRIVATE_KEYS: undefined,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      ADMIN_EMAIL: undefined,
      ADMIN_PASSWORD: undefined,
      PASSWORD_HASHING_CONCURRENCY: 2,
      PASSWORD_HASHING_QUEUE: 64,
      PASSWORD_HASHING_MAX_WAIT_MS: 1000,
      LOG_LEVEL: 'info',
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      USERS_PORT: 'abc',
      ACCESS_TOKEN_TTL_SECONDS: '901',
      USERS_DATABASE_URL: 'http://x/y',
    });
    expect(problems.join('\n')).toMatch(/SERVICE_TOKEN/);
    expect(problems.join('\n')).toMatch(/USERS_PORT/);
    expect(problems.join('\n')).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
    expect(problems.join('\n')).toMatch(/USERS_DATABASE_URL/);
    expect(problems).toHaveLength(4);
  });

  it('lists admin problems alongside the others', () => {
    const problems = problemsOf({ USERS_PORT: 'abc', ADMIN_EMAIL: 'a@b.co' });
    expect(problems).toEqual([
      expect.stringMatching(/^USERS_PORT/),
      expect.stringMatching(/^SERVICE_TOKEN/),
      expect.stringMatching(/^ADMIN_PASSWORD/),
    ]);
  });

  it('rejects a short service token', () => {
    expect(problemsOf({ SERVICE_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^SERVICE_TOKEN: must be at least 16/),
    ]);
  });

  it('requires the admin email and password together', () => {
    expect(problemsOf({ SERVICE_TOKEN: token, ADMIN_EMAIL: 'a@b.co' })).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD:/),
    ]);
    expect(problemsOf({ SERVICE_TOKEN: token, ADMIN_PASSWORD: 'secret-pass' })).toEqual([
      expect.stringMatching(/^ADMIN_EMAIL:/),
    ]);
    expect(problemsOf({ SERVICE_TOKEN: token, ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'secret-pass' })).toEqual([]);
  });

  it('refuses an admin the login route could not take, and accepts a local one a registration would not', () => {
    const problems = problemsOf({ SERVICE_TOKEN: token, ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'p'.repeat(1025) });
    expect(problems).toEqual([
      expect.stringMatching(/^ADMIN_EMAIL: must be an email address/),
      expect.stringMatching(/^ADMIN_PASSWORD: must be at most 1024/),
    ]);
    expect(problemsOf({ SERVICE_TOKEN: token, ADMIN_EMAIL: 'admin@localhost', ADMIN_PASSWORD: 'admin' })).toEqual([]);
  });

  it('asks a production admin for a password of at least 12 characters, and a dev one for none', () => {
    const admin = { SERVICE_TOKEN: token, ADMIN_EMAIL: 'admin@localhost', ADMIN_PASSWORD: 'short-pass1' };
    expect(problemsOf({ ...admin, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD: must be at least 12 characters when NODE_ENV=production/),
    ]);
    expect(problemsOf({ ...admin, NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pass' })).toEqual([]);
    expect(problemsOf(admin)).toEqual([]);
  });
});
