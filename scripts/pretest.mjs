#!/usr/bin/env node
// Prepares a fresh machine for `npm test`: PostgreSQL running, a throwaway test database,
// the system Chromium for Playwright, and the model files. Each step says in one line what it did.
// The test runner (scripts/test.mjs) reads what this step prepared from .cache/test-env.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePostgres, createThrowawayDatabase } from './lib/test-db.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`pretest: ${line}`);

function fail(sentence) {
  console.error(`pretest: ${sentence}`);
  process.exit(1);
}

async function preparePostgres() {
  if (process.env.DATABASE_URL) {
    say(`using DATABASE_URL for PostgreSQL tests (${redact(process.env.DATABASE_URL)}).`);
    return process.env.DATABASE_URL;
  }
  try {
    const started = await ensurePostgres();
    const url = await createThrowawayDatabase();
    say(
      `${started ? 'started PostgreSQL and ' : 'PostgreSQL is running; '}created throwaway test database ${redact(url)}.`,
    );
    return url;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

function prepareChromium() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(chromium)) {
    say(`Chromium found at ${chromium}.`);
    return chromium;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    fail(
      `Chromium is missing at ${chromium}; install it with "sudo apt-get install -y chromium" (the browser tests need it), then run npm test again.`,
    );
  }
  say("Chromium is missing; installing Debian's chromium package (apt-get install -y chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install?.status !== 0 || !existsSync(chromium)) {
    fail(
      'Installing chromium with apt-get failed; install it by hand ("apt-get install -y chromium") and run npm test again.',
    );
  }
  say(`installed Chromium at ${chromium}.`);
  return chromium;
}

function prepareModels() {
  const run = spawnSync(process.execPath, [join(root, 'scripts/fetch-model.mjs')], { stdio: 'inherit' });
  if (run.status !== 0)
    fail('The IS-Net model files could not be assembled (see above); run "npm run fetch-model" and try again.');
  say('model files are in place.');
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

const databaseUrl = await preparePostgres();
const chromium = prepareChromium();
prepareModels();
mkdirSync(join(root, '.cache'), { recursive: true });
writeFileSync(
  join(root, '.cache/test-env.json'),
  JSON.stringify({ TEST_DATABASE_URL: databaseUrl, CHROMIUM_PATH: chromium }, null, 2),
);
