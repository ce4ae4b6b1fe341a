// The in-memory rate limiter under a flood of distinct keys (random emails at the login limit, many addresses).
// Usage: npx tsx bench/limiter.ts [distinct keys…=1000 200000]   prints the cost of one request at each size.
import { createSlidingWindow } from '../api/rate-limits/sliding-window.js';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000, 200_000];
const LOGIN = { limit: 10, windowMs: 15 * 60_000 };
/** Each phase stops at its count or after this long, whichever comes first (a slow limiter still finishes). */
const PHASE_BUDGET_MS = 60_000;
const MEASURED = 20_000;

/** Calls `one(i)` up to `count` times within the budget; returns how many ran and the milliseconds taken. */
function timed(count: number, one: (i: number) => void) {
  const started = performance.now();
  let done = 0;
  while (done < count && performance.now() - started < PHASE_BUDGET_MS) {
    for (const end = Math.min(count, done + 100); done < end; done++) one(done);
  }
  return { done, ms: performance.now() - started };
}

function run(distinctKeys: number) {
  let now = 0;
  const window = createSlidingWindow(LOGIN.limit, LOGIN.windowMs, () => now++);
  // Every key is still inside its window when measured: the clock moves 1 ms a request (200 s in all).
  const fill = timed(distinctKeys, (i) => window.reserve(`flood-${i}@example.com`));
  // Half new keys (the flood goes on), half a few keys used again (customers logging in).
  const measured = timed(MEASURED, (i) =>
    window.reserve(i % 2 ? `customer-${i % 100}@example.com` : `more-${i}@example.com`),
  );
  return { fill, measured, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

run(1_000); // warm-up: the first phase would otherwise pay for compiling the code
for (const size of sizes) {
  const { fill, measured, heapMb } = run(size);
  const reached = fill.done < size ? ` (only ${fill.done} filled in ${PHASE_BUDGET_MS / 1000} s)` : '';
  console.log(
    `${String(size).padStart(7)} distinct keys${reached}: ` +
      `${((measured.ms * 1000) / measured.done).toFixed(2).padStart(9)} µs/request over ${measured.done} requests ` +
      `(fill ${(fill.ms / 1000).toFixed(1)} s, heap in use ${heapMb.toFixed(0)} MB)`,
  );
}
