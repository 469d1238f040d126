import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: '~', replacement: fileURLToPath(new URL('./src', import.meta.url)) },
      // The database package's test helpers (fresh PGlite folder / PostgreSQL database per file; the
      // admin CLI as a process), each matched whole: support.ts and the support/ folder share a name.
      {
        find: /^@bgr\/db\/test\/support$/,
        replacement: fileURLToPath(new URL('../../packages/db/test/support.ts', import.meta.url)),
      },
      {
        find: /^@bgr\/db\/test\/support\/cli$/,
        replacement: fileURLToPath(new URL('../../packages/db/test/support/cli.ts', import.meta.url)),
      },
    ],
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
