import { defineConfig } from 'vitest/config';

// One Temporal dev server and one FerretDB per run (global setup); test files share them,
// so they run one at a time in forked processes and every hook gets room for real I/O.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.data/**'],
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
