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
  it('refuses once `limit` attempts sit in the window, until the oldest leaves it', () => {
    let now = 0;
    const window = createFailureWindow(3, 900_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.reserve('a')).toBe(0);
      now += 1000;
    }
    expect(window.reserve('a')).toBe(900 - 3);
    expect(window.reserve('b')).toBe(0);
    now = 900_000;
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBe(1);
  });

  it('reserves before the attempt runs, so attempts in flight count, and a refund gives one back', () => {
    const window = createFailureWindow(2, 900_000, () => 0);
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBeGreaterThan(0);
    window.refund('a');
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBeGreaterThan(0);
  });

  it('is off at 0', () => {
    const window = createFailureWindow(0, 900_000, () => 0);
    for (let i = 0; i < 100; i++) expect(window.reserve('a')).toBe(0);
  });
});
