import { describe, expect, it } from 'vitest';
import { niceMax, rollWindow, segments } from './plot-scale.js';

describe('plot scale', () => {
  it('rounds the axis up to 1, 2 or 5 × 10^k, never below the floor', () => {
    expect([0, 1, 3, 7, 12, 999, 1001].map((v) => niceMax(v))).toEqual([1, 1, 5, 10, 20, 1000, 2000]);
    expect(niceMax(40, 100)).toBe(100);
    expect(niceMax(0.3, 0.1)).toBeCloseTo(0.5);
  });

  it('breaks a line at a missing value instead of drawing it as zero', () => {
    const runs = segments([
      { x: 1, y: 5 },
      { x: 2, y: null },
      { x: 3, y: 0 },
      { x: 4, y: 7 },
      { x: 5, y: null },
    ]);
    expect(runs).toEqual([
      [{ x: 1, y: 5 }],
      [
        { x: 3, y: 0 },
        { x: 4, y: 7 },
      ],
    ]);
  });

  it('keeps the samples of the span and replaces a repeated or older time', () => {
    const at = (t: number, workflow = 0) => ({ at: t, workflow, activity: 0 });
    let samples = [at(0), at(1000), at(2000)];
    samples = rollWindow(samples, at(3500), 3000);
    expect(samples.map((s) => s.at)).toEqual([1000, 2000, 3500]);
    samples = rollWindow(samples, at(3500, 4), 3000);
    expect(samples).toEqual([at(1000), at(2000), at(3500, 4)]);
  });
});
