// The parts started alone (package.json scripts, scripts/*.mjs), through npm as people run them:
// `npm run -s migrate` is idempotent and exits 0 on a fresh PostgreSQL database; `start:web` stops
// with one sentence naming a missing variable or a missing build (it never builds); `start:inference`
// stops with one sentence when the model files are missing (it never fetches them).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withEmptyPostgres } from '@bgr/db/test/support';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const { url: databaseUrl } = withEmptyPostgres(`bgr_t_alone_${process.pid}`);

function npmRun(
  script: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const base: Record<string, string | undefined> = { ...process.env };
    for (const k of [
      'DATABASE_URL',
      'INFERENCE_URLS',
      'INFERENCE_SECRET',
      'NEXTAUTH_SECRET',
      'AUTH_SECRET',
      'NODE_ENV',
    ])
      delete base[k];
    const child = spawn('npm', ['run', '-s', script], { cwd: root, env: { ...base, ...env } as NodeJS.ProcessEnv });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err: err.replace(/^npm warn .*\n/gm, '') }));
  });
}

const webEnv = {
  DATABASE_URL: databaseUrl,
  INFERENCE_URLS: 'http://127.0.0.1:3599',
  INFERENCE_SECRET: 'alone-secret',
  NEXTAUTH_SECRET: 'alone-nextauth-secret',
};

describe('npm run -s migrate', () => {
  it('migrates a fresh database and exits 0, and again (nothing to do) exits 0', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await npmRun('migrate', { DATABASE_URL: databaseUrl });
      expect(run.err.trim()).toBe('migrate: PostgreSQL (DATABASE_URL) is at the current schema.');
      expect(run.code).toBe(0);
    }
  });
});

describe('npm run -s start:web', () => {
  it.each(['DATABASE_URL', 'INFERENCE_URLS', 'INFERENCE_SECRET', 'NEXTAUTH_SECRET'])(
    'stops with a sentence when %s is missing',
    async (missing) => {
      const run = await npmRun('start:web', { ...webEnv, [missing]: undefined });
      expect(run.code).toBe(1);
      expect(run.err).toContain(`[web] ${missing} is not set: the web server alone needs DATABASE_URL`);
    },
  );

  it('stops with a sentence naming `npm run -s build` when the build is missing (it never builds)', async () => {
    const run = await npmRun('start:web', { ...webEnv, NEXT_DIST_DIR: '.next-never-built' });
    expect(run.code).toBe(1);
    expect(run.err.trim()).toBe(
      '[web] The web app is not built (apps/web/.next-never-built/BUILD_ID is missing): run `npm run -s build` first.',
    );
  });
});

describe('npm run -s start:inference', () => {
  it('stops with a sentence naming `npm run -s build` when the model files are missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'bgr-no-models-'));
    try {
      const run = await npmRun('start:inference', { MODELS_DIR: empty, INFERENCE_PORT: '3598' });
      expect(run.code).toBe(1);
      expect(run.err.trim()).toBe('start:inference: The model files are missing — run `npm run -s build` first.');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
