import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three lanes, told apart by file name: `x.test.ts` needs no server (run in parallel, no global setup,
// files share worker processes so modules load once), `x.int.test.ts` needs real servers or tools,
// `x.e2e.test.ts` the whole stack. The last two share one Temporal dev server and one FerretDB (global
// setup) and run their files one at a time, each in a fresh process. Files that take down a server of the
// whole machine (PostgreSQL, RabbitMQ) form a fourth project, so `npm test` (scripts/test.ts) can run them
// alone after the integration and e2e lanes, which it runs side by side.
const MACHINE_WIDE_OUTAGES = ['test/chaos/chaos.e2e.test.ts', 'test/events/delivery.int.test.ts'];
const ignored = ['node_modules/**', 'dist/**', '.data/**'];

const serverLane = (name: string, include: string[], exclude: string[] = []) => ({
  extends: true as const,
  test: {
    name,
    include,
    exclude: [...ignored, ...exclude],
    globalSetup: ['./test/global-setup.ts'],
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    exclude: ignored,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, '**/*.int.test.ts', '**/*.e2e.test.ts'],
          maxWorkers: availableParallelism(),
          isolate: false,
        },
      },
      serverLane('integration', ['**/*.int.test.ts'], MACHINE_WIDE_OUTAGES),
      serverLane('e2e', ['**/*.e2e.test.ts'], MACHINE_WIDE_OUTAGES),
      serverLane('machine-outages', MACHINE_WIDE_OUTAGES),
    ],
  },
});
