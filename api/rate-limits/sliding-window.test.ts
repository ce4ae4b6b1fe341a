import { describe, expect, it } from 'vitest';
import { createSlidingWindow, DEFAULT_MAX_KEYS } from './sliding-window.js';

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

  it('holds at most its cap of keys: 200,000 distinct keys inside their window keep it at the cap', () => {
    let now = 0;
    const window = createSlidingWindow(10, 900_000, () => now++);
    let refused = 0;
    for (let i = 1; i <= 200_000; i++) {
      if (window.reserve(`flood-${i}@example.com`) !== 0) refused++;
      if (i % 1000 === 0) expect(window.keyCount()).toBe(Math.min(i, DEFAULT_MAX_KEYS));
    }
    expect(refused).toBe(0);
  });

  it('past the cap, forgets the least recently used key first (whose budget starts again)', () => {
    let now = 0;
    const window = createSlidingWindow(1, 60_000, () => now++, 3);
    for (const key of ['a', 'b', 'c']) window.reserve(key);
    expect(window.reserve('a')).toBeGreaterThan(0); // refused, and now the most recently used
    expect(window.reserve('d')).toBe(0); // b is the least recently used: forgotten
    expect(window.keyCount()).toBe(3);
    expect(window.reserve('a')).toBeGreaterThan(0);
    expect(window.reserve('c')).toBeGreaterThan(0);
    expect(window.reserve('b')).toBe(0);
  });

  it('forgets keys whose attempts have all left the window, well before the cap', () => {
    let now = 0;
    const window = createSlidingWindow(5, 60_000, () => now);
    for (let i = 0; i < 10; i++) window.reserve(`old-${i}`);
    now = 60_000;
    for (let i = 0; i < 5; i++) window.reserve('new');
    expect(window.keyCount()).toBe(1);
    expect(window.reserve('old-0')).toBe(0);
  });
});
