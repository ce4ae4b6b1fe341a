import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeyedMutex, noMutex } from './keyed-mutex.js';
import { createLedger, type Ledger, type Movement } from './ledger.js';
import { createStore } from './store.js';
import { expectConsistentLedger, openTestDb } from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let ledger: Ledger;
let conflicts = 0;

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'ledger');
  // No in-process serialisation: only the unique indexes stand between writers. No deadline either: on a
  // busy machine 60 unserialised writers may take longer than the service's 4 s, which is not what this tests.
  ledger = createLedger(createStore(env.db), { mutex: noMutex, deadlineMs: 120_000, onConflict: () => conflicts++ });
});
afterAll(() => env?.close());

const asEntries = async (productId: string) =>
  (await ledger.entries(productId)).map((e) => ({ ...e, orderId: e.orderId, at: e.at.toISOString() }));

describe('ledger.append without any mutex', () => {
  it('never oversells: 60 racing guarded takes of 1 on a stock of 7 → exactly 7 applied', async () => {
    await ledger.append({ productId: 'p-race', delta: 7, kind: 'initial', opKey: 'initial:p-race', guarded: false });
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        ledger.append({
          productId: 'p-race',
          delta: -1,
          kind: 'reserve',
          opKey: `reserve:o${i}:p-race`,
          orderId: `o${i}`,
          guarded: true,
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(7);
    expect(outcomes.filter((o) => o === 'short')).toHaveLength(53);
    expect(await ledger.stockOf('p-race')).toBe(0);
    const { available } = expectConsistentLedger(await asEntries('p-race'));
    expect(available).toBe(0);
    expect(conflicts).toBeGreaterThan(0); // the race really happened
  });

  it('applies one opKey exactly once, however many concurrent and later duplicates', async () => {
    await ledger.append({ productId: 'p-dup', delta: 5, kind: 'initial', opKey: 'initial:p-dup', guarded: false });
    const move = {
      productId: 'p-dup',
      delta: -5,
      kind: 'reserve' as const,
      opKey: 'reserve:x:p-dup',
      orderId: 'x',
      guarded: true,
    };
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ledger.append(move)));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    // Sequential retry after the stock is gone is still a duplicate, not "short".
    expect(await ledger.append(move)).toBe('duplicate');
    expect(await ledger.stockOf('p-dup')).toBe(0);
    expect(await ledger.entries('p-dup')).toHaveLength(2);
  });

  it("finds the latest entry from another instance's stale view (gap-free seqs, galloping search)", async () => {
    const other = createLedger(createStore(env.db), { mutex: noMutex });
    expect(await other.stockOf('p-head')).toBe(0);
    for (let i = 1; i <= 37; i++)
      await ledger.append({ productId: 'p-head', delta: i, kind: 'restock', opKey: `head:${i}`, guarded: false });
    expect(await other.stockOf('p-head')).toBe((37 * 38) / 2);
    expect(
      await other.append({ productId: 'p-head', delta: -700, kind: 'reserve', opKey: 'head:take', guarded: true }),
    ).toBe('applied');
    expect(await ledger.stockOf('p-head')).toBe(703 - 700);
    expect(await createLedger(createStore(env.db)).stockOf('p-head')).toBe(3);
    expect(expectConsistentLedger(await asEntries('p-head')).available).toBe(3);
  });

  it('never answers short from the head it knows: takes stock another instance added since', async () => {
    const other = createLedger(createStore(env.db), { mutex: noMutex });
    const take = (opKey: string, delta: number) =>
      other.append({ productId: 'p-known', delta, kind: 'reserve', opKey, guarded: true });
    await other.append({ productId: 'p-known', delta: 1, kind: 'initial', opKey: 'known:init', guarded: false });
    expect(await take('known:a', -1)).toBe('applied'); // other now knows a head with nothing available
    await ledger.append({ productId: 'p-known', delta: 5, kind: 'restock', opKey: 'known:in', guarded: false });
    expect(await take('known:b', -2)).toBe('applied');
    await ledger.append({ productId: 'p-known', delta: 1, kind: 'restock', opKey: 'known:in2', guarded: false });
    // other's known head is stale again: its write after it collides and is retried after the real head
    expect(await take('known:c', -1)).toBe('applied');
    expect(expectConsistentLedger(await asEntries('p-known')).available).toBe(3);
  });

  it('keeps racing unguarded deposits and withdrawals conserved', async () => {
    const moves = Array.from({ length: 40 }, (_, i): Movement => ({
      productId: 'p-mix',
      delta: i % 2 === 0 ? 3 : -1,
      kind: i % 2 === 0 ? 'restock' : 'reserve',
      opKey: `mix:${i}`,
      guarded: i % 2 === 1,
    }));
    await ledger.append({ productId: 'p-mix', delta: 2, kind: 'initial', opKey: 'initial:p-mix', guarded: false });
    const outcomes = await Promise.all(moves.map((m) => ledger.append(m)));
    const applied = moves.filter((_, i) => outcomes[i] === 'applied');
    const expected = 2 + applied.reduce((sum, m) => sum + m.delta, 0);
    expect(outcomes.filter((o, i) => i % 2 === 0 && o === 'applied')).toHaveLength(20);
    expect(await ledger.stockOf('p-mix')).toBe(expected);
    expect(expectConsistentLedger(await asEntries('p-mix')).available).toBe(expected);
  });
});

describe('ledger.append deadline', () => {
  it('answers 503 when the product stays busy past the deadline, and the queued turn writes nothing', async () => {
    const mutex = createKeyedMutex();
    const bounded = createLedger(createStore(env.db), { mutex, deadlineMs: 100 });
    let open!: () => void;
    const busy = mutex('p-busy', () => new Promise<void>((resolve) => (open = resolve)));
    const safety = setTimeout(() => open(), 3_000);
    const movement: Movement = {
      productId: 'p-busy',
      delta: 5,
      kind: 'initial',
      opKey: 'initial:p-busy',
      guarded: false,
    };
    const answer = await bounded.append(movement).then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ status: (error as { status?: number }).status }),
    );
    open();
    clearTimeout(safety);
    await busy;
    expect(answer).toEqual({ status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await bounded.entries('p-busy')).toEqual([]);
  });
});
