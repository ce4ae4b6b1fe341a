import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three lanes, told apart by file name: `x.test.ts` needs no server (run in parallel, no global setup,
// files share worker processes so modules load once), `x.int.test.ts` needs real servers or tools,
// `x.e2e.test.ts` the whole stack. The last two share one Temporal dev server and one FerretDB
// (global setup), so their files run one at a time, each in a fresh process.
const serverLane = (name: string, pattern: string) => ({
  extends: true as const,
  test: { name, include: [pattern], globalSetup: ['./test/global-setup.ts'], fileParallelism: false },
});

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'dist/**', '.data/**'],
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
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', 'node_modules/**', 'dist/**', '.data/**'],
          maxWorkers: availableParallelism(),
          isolate: false,
        },
      },
      serverLane('integration', '**/*.int.test.ts'),
      serverLane('e2e', '**/*.e2e.test.ts'),
    ],
  },
});
