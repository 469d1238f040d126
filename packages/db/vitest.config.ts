import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Opening PGlite (initdb + migrations) takes seconds on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Each file opens its own databases; a few at a time keeps memory and CPU sane.
    maxWorkers: 2,
  },
});
