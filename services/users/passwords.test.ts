import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './passwords.js';
import { medianDurations } from './test-support/timing.js';

describe('password hasher', () => {
  it('hashes with argon2id at the OWASP cost and a fresh salt per hash', async () => {
    const hasher = await createPasswordHasher();
    const first = await hasher.hash('correct horse battery');
    const second = await hasher.hash('correct horse battery');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(first)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1, saltLen: 16 });
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse battery');
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hasher = await createPasswordHasher();
    const stored = await hasher.hash('correct horse battery');
    expect(await hasher.verify(stored, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse battery!')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'anything')).toBe(false);
  });

  it('spends comparable time on the dummy verification as on a real one', async () => {
    const hasher = await createPasswordHasher();
    const stored = await hasher.hash('correct horse battery');
    const [real, dummy] = await medianDurations(
      9,
      () => hasher.verify(stored, 'wrong password'),
      () => hasher.verifyAgainstDummy('wrong password'),
    );
    expect(await hasher.verifyAgainstDummy('anything')).toBe(false);
    // Both run the same argon2id work; an early return would be orders of magnitude faster.
    expect(dummy! / real!).toBeGreaterThan(0.4);
    expect(dummy! / real!).toBeLessThan(2.5);
  });
});
