import { describe, expect, it } from 'vitest';
import { createFailureWindow, createTokenBuckets } from './limiters.js';

describe('createTokenBuckets', () => {
  it('allows the limit per window, refills continuously, and says how long to wait', () => {
    let now = 0;
    const buckets = createTokenBuckets(6, 60_000, () => now);
    for (let i = 0; i < 6; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10);
    expect(buckets.take('b')).toBe(0);
    now += 9_999;
    expect(buckets.take('a')).toBe(1);
    now += 1;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10);
  });

  it('never allows more than the limit plus the refill, whatever the request pattern', () => {
    let now = 0;
    const buckets = createTokenBuckets(10, 60_000, () => now);
    let allowed = 0;
    for (let t = 0; t < 120_000; t += 250) {
      now = t;
      if (buckets.take('k') === 0) allowed++;
    }
    expect(allowed).toBeLessThanOrEqual(10 + 20);
    expect(allowed).toBeGreaterThanOrEqual(29);
  });

  it('is off at 0', () => {
    const buckets = createTokenBuckets(0, 60_000, () => 0);
    for (let i = 0; i < 1000; i++) expect(buckets.take('a')).toBe(0);
  });
});

describe('createFailureWindow', () => {
  it('locks a key after `limit` failures until the oldest leaves the window', () => {
    let now = 0;
    const window = createFailureWindow(3, 900_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.check('a')).toBe(0);
      window.recordFailure('a');
      now += 1000;
    }
    expect(window.check('a')).toBe(900 - 3);
    expect(window.check('b')).toBe(0);
    now = 900_000;
    expect(window.check('a')).toBe(0);
    window.recordFailure('a');
    expect(window.check('a')).toBe(1);
  });

  it('is off at 0', () => {
    const window = createFailureWindow(0, 900_000, () => 0);
    for (let i = 0; i < 100; i++) window.recordFailure('a');
    expect(window.check('a')).toBe(0);
  });
});
