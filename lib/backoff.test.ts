import { describe, expect, it } from 'vitest';
import { exponentialBackoff, wakeableSleep } from './backoff.js';

const settledWithin = (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false))]);

describe('wakeableSleep', () => {
  it('is cut short by any wake while idle, but a failure backoff only by a reconnect (wake(true))', async () => {
    const nap = wakeableSleep();
    const idle = nap.sleep(60_000, false);
    nap.wake(false);
    expect(await settledWithin(idle, 1_000)).toBe(true);

    const backoff = nap.sleep(60_000, true);
    nap.wake(false); // a new event: the broker is still down, do not hammer it
    expect(await settledWithin(backoff, 100)).toBe(false);
    nap.wake(true); // the broker is back
    expect(await settledWithin(backoff, 1_000)).toBe(true);
  });

  it('remembers a wake that came while nobody slept', async () => {
    const nap = wakeableSleep();
    nap.wake(false);
    expect(await settledWithin(nap.sleep(60_000, false), 1_000)).toBe(true);
    nap.wake(true);
    expect(await settledWithin(nap.sleep(60_000, true), 1_000)).toBe(true);
    expect(await settledWithin(nap.sleep(50, false), 20)).toBe(false); // used up
  });
});

describe('exponentialBackoff', () => {
  it('doubles from the initial delay up to the cap, with jitter in the upper half', () => {
    const backoff = exponentialBackoff(250, 2_000);
    const delays = Array.from({ length: 6 }, () => backoff.next());
    [250, 500, 1_000, 2_000, 2_000, 2_000].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base / 2);
      expect(delays[i]).toBeLessThanOrEqual(base);
    });
  });
});
