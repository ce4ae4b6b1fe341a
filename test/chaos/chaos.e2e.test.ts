import { describe, expect, inject, it } from 'vitest';
import { runChaos } from './chaos.js';
import { COMPONENTS } from './components.js';
import { DELIVERY_INVARIANTS } from './delivery.js';
import { INVARIANTS } from './invariants.js';
import { formatReport } from './report.js';

// The short form of `npm run chaos`: the real launcher on its own ports, its own Temporal (db file) and
// FerretDB; customers order while every component is SIGKILLed once and the supervisor brings it back.
describe('chaos: every component killed under load', () => {
  it('ends every accepted order final with stock and money conserved', async () => {
    const report = await runChaos({
      orders: 30,
      killsEach: 1,
      customers: 6,
      ordersPerSecond: 1.5,
      everyMs: [1500, 3000],
      maxFaultMs: 120_000,
      drainLimitMs: 60_000,
      drainWatchMs: 120_000,
      notificationSettleMs: 60_000,
      postgresUrl: inject('postgresUrl'),
      logDir: inject('logDir'),
    });
    console.log(formatReport(report));

    expect(report.launcherSurvived).toBe(true);
    for (const name of COMPONENTS) expect(report.kills[name]).toBeGreaterThanOrEqual(1);
    expect(report.notificationLagMs.length).toBeGreaterThanOrEqual(30);
    expect(report.placed.filter((p) => p.orderIds.size > 0).length).toBeGreaterThanOrEqual(30);
    const invariants = [...INVARIANTS, ...DELIVERY_INVARIANTS];
    const found = Object.fromEntries(invariants.map((name) => [name, report.violations[name]]));
    expect(found).toEqual(Object.fromEntries(invariants.map((name) => [name, []])));
    // Every order's history, as the crashes and retries wrote it, replays through the shipped bundle.
    const workflows = new Set(report.placed.flatMap((p) => [...p.orderIds])).size;
    expect(report.replay).toMatchObject({ exitCode: 0, failed: 0 });
    expect(report.replay.replayed).toBeGreaterThanOrEqual(workflows);
  }, 300_000);
});
