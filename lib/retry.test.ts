import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { retryUntilUp } from './retry.js';

const logger = createLogger('retry-test', 'silent');

describe('retryUntilUp', () => {
  it('keeps trying with growing delays until the dependency answers', async () => {
    const at: number[] = [];
    const result = await retryUntilUp(
      async () => {
        at.push(performance.now());
        if (at.length < 4) throw new Error('connection refused');
        return 'up';
      },
      { what: 'thing', logger, initialDelayMs: 10, maxDelayMs: 40 },
    );
    expect(result).toBe('up');
    expect(at).toHaveLength(4);
  });

  it('gives up with the last error once aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(
      retryUntilUp(() => Promise.reject(new Error('still down')), {
        what: 'thing',
        logger,
        initialDelayMs: 10,
        signal: controller.signal,
      }),
    ).rejects.toThrow('still down');
  });
});
