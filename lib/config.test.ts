import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, flag, parseConfig, port } from './config.js';

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
