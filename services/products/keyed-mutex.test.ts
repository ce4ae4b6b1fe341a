import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

describe('createKeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and forgets idle keys', async () => {
    const mutex = createKeyedMutex();
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        mutex('a', async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await sleep(Math.random() * 3);
          order.push(i);
          running--;
        }),
      ),
    );
    expect(maxRunning).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(mutex.size()).toBe(0);
  });

  it('runs different keys in parallel and survives a failing task', async () => {
    const mutex = createKeyedMutex();
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running--;
    };
    await Promise.all([mutex('a', task), mutex('b', task)]);
    expect(maxRunning).toBe(2);
    await expect(mutex('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex('a', async () => 42)).resolves.toBe(42);
    expect(mutex.size()).toBe(0);
  });
});
