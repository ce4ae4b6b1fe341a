import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  DOCUMENTED_SECRETS,
  flag,
  MIN_PRODUCTION_PASSWORD_LENGTH,
  parseConfig,
  port,
  processFields,
} from './config.js';

const schema = z.object({ PORT: port(3000), DATABASE_URL: z.url(), DEBUG: flag(false) });

describe('parseConfig', () => {
  it('applies defaults and coerces values', () => {
    expect(parseConfig(schema, { DATABASE_URL: 'postgres://x/y', DEBUG: 'yes' })).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://x/y',
      DEBUG: true,
    });
  });

  it('lists every problem at once', () => {
    try {
      parseConfig(schema, { PORT: 'abc', DATABASE_URL: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(2);
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    }
  });
});

describe('documented example secrets', () => {
  const secrets = z.object({ ...processFields, ADMIN_PASSWORD: z.string().optional() });

  it.each(DOCUMENTED_SECRETS)('refuses %s in production and names the variable', (secret) => {
    const env = { NODE_ENV: 'production', SERVICE_TOKEN: 'x'.repeat(32), ADMIN_PASSWORD: secret };
    expect(() => parseConfig(secrets, env)).toThrow(/ADMIN_PASSWORD: is a documented example secret/);
  });

  it('refuses the README token as SERVICE_TOKEN in production only', () => {
    const env = { SERVICE_TOKEN: 'dev-token-0123456789' };
    expect(parseConfig(secrets, env).SERVICE_TOKEN).toBe('dev-token-0123456789');
    expect(() => parseConfig(secrets, { ...env, NODE_ENV: 'production' })).toThrow(/SERVICE_TOKEN: is a documented/);
    expect(parseConfig(secrets, { NODE_ENV: 'production', SERVICE_TOKEN: 'a'.repeat(32) }).SERVICE_TOKEN).toHaveLength(
      32,
    );
  });
});

describe('passwords in production', () => {
  const secrets = z.object({ ...processFields, ADMIN_PASSWORD: z.string().optional() });
  const token = 'x'.repeat(32);
  const short = 'p'.repeat(MIN_PRODUCTION_PASSWORD_LENGTH - 1);

  it('refuses a password shorter than the minimum when NODE_ENV=production, naming the variable', () => {
    expect(MIN_PRODUCTION_PASSWORD_LENGTH).toBe(12);
    const env = { NODE_ENV: 'production', SERVICE_TOKEN: token, ADMIN_PASSWORD: short };
    expect(() => parseConfig(secrets, env)).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    const enough = { ...env, ADMIN_PASSWORD: 'p'.repeat(MIN_PRODUCTION_PASSWORD_LENGTH) };
    expect(parseConfig(secrets, enough).ADMIN_PASSWORD).toHaveLength(12);
  });

  it('keeps accepting a short password outside production', () => {
    for (const NODE_ENV of [undefined, 'development', 'test'])
      expect(parseConfig(secrets, { NODE_ENV, SERVICE_TOKEN: token, ADMIN_PASSWORD: 'admin' }).ADMIN_PASSWORD).toBe(
        'admin',
      );
  });
});
