/**
 * Starts the whole product the way people do — `node scripts/start.mjs` (models check, production
 * build, secrets, first admin, inference, web) — on its own ports with a temporary DATA_DIR and
 * STORAGE_DIR, after seeding a user with credits directly in the (not yet opened) PGlite folder.
 * Returns the teardown, which stops the stack (SIGTERM → start.mjs stops its children).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { E2E, type E2EState } from './support/stack';

async function waitForUp(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`scripts/start.mjs exited before the app was up; see ${E2E.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`The app did not come up at ${url} within ${timeoutMs / 1000} s; see ${E2E.logFile}`);
}

export default async function globalSetup() {
  const root = E2E.repoRoot;
  const base = mkdtempSync(path.join(tmpdir(), 'bgr-e2e-'));
  const state: E2EState = {
    dataDir: path.join(base, 'data'),
    storageDir: path.join(base, 'storage'),
    fixtures: {
      photo: path.join(base, 'fixtures', 'portrait.jpg'),
      photo2: path.join(base, 'fixtures', 'second.png'),
      photo3: path.join(base, 'fixtures', 'third.jpg'),
    },
  };
  mkdirSync(path.dirname(E2E.stateFile), { recursive: true });
  mkdirSync(E2E.screenshots, { recursive: true });
  writeFileSync(E2E.stateFile, JSON.stringify(state, null, 2));

  const seed = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'apps/web/e2e/support/seed.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      DATA_DIR: state.dataDir,
      FIXTURE_DIR: path.join(base, 'fixtures'),
      SEED_EMAIL: E2E.user.email,
      SEED_PASSWORD: E2E.user.password,
      SEED_CREDITS: String(E2E.user.credits),
    },
  });
  if (seed.status !== 0) throw new Error('Seeding the e2e database failed.');

  const log = createWriteStream(E2E.logFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(E2E.port),
    HOST: '127.0.0.1',
    INFERENCE_PORT: String(E2E.inferencePort),
    DATA_DIR: state.dataDir,
    STORAGE_DIR: state.storageDir,
    NEXT_DIST_DIR: E2E.distDir,
    ADMIN_EMAIL: E2E.admin.email,
    ADMIN_PASSWORD: E2E.admin.password,
    SIGNUP: 'open',
    // The URL test serves its photo from this machine: allow that one host name (not 127.0.0.1).
    FETCH_ALLOW_HOSTS: 'localhost',
    NEXTAUTH_URL: E2E.baseUrl,
  };
  delete env.DATABASE_URL; // the default embedded database, as `npm start` on a fresh clone
  delete env.INFERENCE_URLS;
  delete env.NEXTAUTH_SECRET;
  delete env.INFERENCE_SECRET;
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // Show the build's progress in the test output too: the first build takes minutes.
  child.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.startsWith('[start]')) console.log(line);
  });

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForUp(`${E2E.baseUrl}/api/auth/providers`, 20 * 60_000, () => child.exitCode === null);
    // start.mjs prints "Ready" once both services answer; the web server answering is enough for us.
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
