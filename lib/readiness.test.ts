import { describe, expect, it } from 'vitest';
import { createHttpApp } from './process-shell.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

/** A process shell whose one check counts its calls, answers after `delayMs`, and fails while `down`. */
function shell(delayMs = 0) {
  const state = { now: 0, calls: 0, down: false };
  const app = createHttpApp({
    logger: createLogger('readiness-test', 'silent'),
    metrics: createMetrics('readiness-test', false),
    serviceToken: 'readiness-test-token',
    clock: () => state.now,
    readiness: {
      db: async () => {
        state.calls += 1;
        const down = state.down;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (down) throw new Error('refused');
      },
    },
  });
  return { app, state };
}

describe('/readyz', () => {
  it('shares one probe among concurrent calls', async () => {
    const { app, state } = shell(50);
    const answers = await Promise.all(Array.from({ length: 20 }, async () => app.request('/readyz')));
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    expect(state.calls).toBe(1);
  });

  it('answers from a result at most 1 s old, then probes again and reports the change', async () => {
    const { app, state } = shell();
    expect((await app.request('/readyz')).status).toBe(200);
    state.down = true;
    state.now = 999;
    for (let i = 0; i < 10; i++) expect((await app.request('/readyz')).status).toBe(200);
    expect(state.calls).toBe(1);
    state.now = 1_000;
    const notReady = await app.request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ down: ['db'] });
    expect(state.calls).toBe(2);
  });

  it('never runs two probes at once, even when one outlasts a second', async () => {
    const { app, state } = shell(100);
    const first = app.request('/readyz');
    state.now = 5_000;
    const second = app.request('/readyz');
    await Promise.all([first, second]);
    expect(state.calls).toBe(1);
    expect((await app.request('/readyz')).status).toBe(200);
    expect(state.calls).toBe(2);
  });
});
