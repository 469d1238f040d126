/**
 * Where the e2e stack runs and who can sign in to it. Ports default to the web engineer's range;
 * set E2E_PORT / E2E_INFERENCE_PORT to run a second copy beside it: it then also gets its own
 * build folder, state file and log, so one run never rebuilds or deletes what another is using.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.E2E_PORT || 3100);

export const E2E = {
  port,
  inferencePort: Number(process.env.E2E_INFERENCE_PORT || 3101),
  baseUrl: `http://127.0.0.1:${port}`,
  /**
   * The production build to test: `.next` (what `npm run build -w @bgr/web` makes, so CI builds
   * once) unless NEXT_DIST_DIR / E2E_DIST_DIR name another; start.mjs rebuilds it when stale.
   */
  distDir: process.env.E2E_DIST_DIR || process.env.NEXT_DIST_DIR || (port === 3100 ? '.next' : `.next-e2e-${port}`),
  repoRoot: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..'),
  /** Screenshots people look at (git-ignored test-results/). */
  screenshots: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/screenshots'),
  /** Created by start.mjs as the first admin (ADMIN_EMAIL / ADMIN_PASSWORD). */
  admin: { email: 'admin@e2e.test', password: 'admin-password-e2e' },
  /** Created by e2e/support/seed.ts before the stack starts, with 2 credits. */
  user: { email: 'user@e2e.test', password: 'user-password-e2e', credits: 2 },
  /** Written by the global setup: temp folders and fixture paths (one per port: runs side by side). */
  stateFile: path.resolve(path.dirname(fileURLToPath(import.meta.url)), `../../test-results/e2e-state-${port}.json`),
  logFile: path.resolve(path.dirname(fileURLToPath(import.meta.url)), `../../test-results/e2e-stack-${port}.log`),
};

export type E2EState = {
  dataDir: string;
  storageDir: string;
  fixtures: { photo: string; photo2: string; photo3: string };
};
