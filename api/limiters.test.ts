import { describe, expect, it } from 'vitest';
import { createSlidingWindow } from './limiters.js';

describe('createSlidingWindow', () => {
  it('refuses once `limit` attempts sit in the window, until the oldest leaves it', () => {
    let now = 0;
    const window = createSlidingWindow(3, 900_000, () => now);
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
    const window = createSlidingWindow(2, 900_000, () => 0);
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBeGreaterThan(0);
    window.refund('a');
    expect(window.reserve('a')).toBe(0);
    expect(window.reserve('a')).toBeGreaterThan(0);
  });

  it('is off at 0', () => {
    const window = createSlidingWindow(0, 900_000, () => 0);
    for (let i = 0; i < 100; i++) expect(window.reserve('a')).toBe(0);
  });

  it('allows exactly the limit in any window, whatever the request pattern', () => {
    let now = 0;
    const window = createSlidingWindow(10, 60_000, () => now);
    const allowedAt: number[] = [];
    for (let t = 0; t < 180_000; t += 250) {
      now = t;
      if (window.reserve('k') === 0) allowedAt.push(t);
    }
    expect(allowedAt).toHaveLength(30); // 10 in each of three minutes
    for (let i = 10; i < allowedAt.length; i++)
      expect(allowedAt[i]! - allowedAt[i - 10]!).toBeGreaterThanOrEqual(60_000);
  });
});
