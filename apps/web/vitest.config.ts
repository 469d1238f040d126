import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '~': fileURLToPath(new URL('./src', import.meta.url)),
      // The ledger engineer's test helper (fresh PGlite folder / PostgreSQL database per file).
      '@bgr/db/test/support': fileURLToPath(new URL('../../packages/db/test/support.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The machine has two cores and other suites run beside this one.
    maxWorkers: 2,
  },
});
