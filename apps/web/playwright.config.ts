import { defineConfig } from '@playwright/test';
import { E2E } from './e2e/support/stack';

/**
 * End-to-end tests in the system Chromium against the production build, with the whole stack
 * (inference + web) started by scripts/start.mjs in e2e/global-setup.ts.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/playwright',
  globalSetup: './e2e/global-setup.ts',
  timeout: 240_000,
  expect: { timeout: 90_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: E2E.baseUrl,
    browserName: 'chromium',
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
