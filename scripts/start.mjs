#!/usr/bin/env node
// `npm start`: brings the whole product up on this machine.
//   1. model files present and intact (assembles them if missing),
//   2. the web app built (next build when the build is missing or older than the sources),
//   3. secrets generated once and kept in <DATA_DIR>/secrets.json,
//   4. the first admin created (printed once) when the database has none,
//   5. the inference service started and ready (/readyz),
//   6. then — only then — the web server on PORT (all interfaces by default).
// SIGTERM or Ctrl-C stops everything it started. Several copies can run side by side with
// different PORT, INFERENCE_PORT and DATA_DIR (or DATABASE_URL).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateSecrets, SecretsFileError } from './lib/secrets.mjs';
import { isStandalone, webServerCommand } from './lib/web-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'apps', 'web');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const say = (line) => console.log(`[start] ${line}`);

const PORT = Number(process.env.PORT || 3000);
const HOST = process.env.HOST || '0.0.0.0';
const INFERENCE_PORT = Number(process.env.INFERENCE_PORT || 3001);
const DATA_DIR = resolve(root, process.env.DATA_DIR || '.data');
const DIST_DIR = process.env.NEXT_DIST_DIR || '.next';
const external = Boolean(process.env.INFERENCE_URLS);

/** Children we started, each in its own process group so the whole tree can be stopped. */
const children = new Set();
let stopping = false;

function fail(sentence, code = 1) {
  console.error(`[start] ${sentence}`);
  stop(code);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) signalTree(child, 'SIGTERM');
  const deadline = setTimeout(() => {
    for (const child of children) signalTree(child, 'SIGKILL');
    process.exit(code);
  }, 8000);
  deadline.unref();
  const check = setInterval(() => {
    if ([...children].every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(check);
      process.exit(code);
    }
  }, 100);
}

function signalTree(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the child's process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

process.on('SIGINT', () => stop(130));
// `npm start` runs us under npm and a shell; a SIGTERM sent to npm alone does not reach us. When
// whoever started us goes away, stop too, rather than leave the servers running as orphans.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) stop(143);
}, 1000).unref();
process.on('SIGTERM', () => stop(143));
process.on('SIGHUP', () => stop(129));

// ---------------------------------------------------------------------------------------------
// 1. Models
// ---------------------------------------------------------------------------------------------
async function ensureModels() {
  if (external) return; // the inference service lives elsewhere
  const { verifyModels } = await import('./lib/models.mjs');
  // Sizes only on every start (fast); the full checksum runs when the files are assembled.
  let check = await verifyModels({ quick: true });
  if (check.ok) return;
  say(check.missing ? 'model files missing: assembling them (one time)…' : `model files need repair: ${check.reason}`);
  const res = spawnSync(process.execPath, [join(root, 'scripts', 'fetch-model.mjs')], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) return fail('The model files could not be assembled (see the message above).');
  check = await verifyModels({ quick: true });
  if (!check.ok) fail(check.reason);
}

// ---------------------------------------------------------------------------------------------
// 2. Build
// ---------------------------------------------------------------------------------------------
const BUILD_INPUTS = [
  'apps/web/src',
  'apps/web/next.config.ts',
  'apps/web/package.json',
  'packages/ui/src',
  'packages/db/src',
  'packages/db/drizzle',
  'packages/credits/src',
  'packages/inference-client/src',
  'packages/strokes/src',
  'package-lock.json',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.next')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildIsCurrent() {
  const buildId = join(webDir, DIST_DIR, 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.every((p) => newestMtime(join(root, p)) <= builtAt);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Copies started side by side share one build folder: only one of them builds, the others wait. */
async function withBuildLock(fn) {
  // In a git-ignored folder (.next*/), beside the build folder it guards.
  const lockDir = join(webDir, '.next-build-locks');
  mkdirSync(lockDir, { recursive: true });
  const lock = join(lockDir, `${DIST_DIR.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
  for (let announced = false; ; ) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (!Number.isInteger(owner) || !pidAlive(owner)) {
        rmSync(lock, { force: true }); // left by a copy that died
        continue;
      }
      if (!announced) say(`another copy (pid ${owner}) is building the web app; waiting for it…`);
      announced = true;
      await new Promise((r) => setTimeout(r, 2000));
      if (stopping) return;
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function ensureBuild() {
  if (isStandalone(root)) return; // the Docker image: built when the image was, no sources to build from
  if (process.env.SKIP_BUILD === '1' && existsSync(join(webDir, DIST_DIR, 'BUILD_ID'))) return;
  if (buildIsCurrent()) return;
  await withBuildLock(() => {
    if (!buildIsCurrent()) build();
  });
}

function build() {
  say(`building the web app (next build → apps/web/${DIST_DIR}); the first build takes a few minutes…`);
  const started = Date.now();
  const res = spawnSync(bin('next'), ['build'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_DIST_DIR: DIST_DIR, NODE_ENV: 'production' },
  });
  if (res.status !== 0) return fail('The web app failed to build (see the messages above).');
  say(`built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

// ---------------------------------------------------------------------------------------------
// 3. Secrets
// ---------------------------------------------------------------------------------------------
function ensureSecrets() {
  let secrets;
  try {
    ({ secrets } = loadOrCreateSecrets(DATA_DIR));
  } catch (err) {
    if (err instanceof SecretsFileError) return fail(err.message);
    throw err;
  }
  return {
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET || secrets.nextauthSecret,
    INFERENCE_SECRET: process.env.INFERENCE_SECRET || secrets.inferenceSecret,
  };
}

// ---------------------------------------------------------------------------------------------
// 4. First admin
// ---------------------------------------------------------------------------------------------
function ensureAdmin(env) {
  const res = spawnSync(bin('tsx'), [join(root, 'scripts', 'lib', 'ensure-admin.ts')], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.status !== 0)
    return fail('Could not open the database to check for an admin account (see the message above).');
  const line = res.stdout.trim().split('\n').pop() ?? '{}';
  try {
    return JSON.parse(line);
  } catch {
    return { created: false };
  }
}

// ---------------------------------------------------------------------------------------------
// 5./6. Services
// ---------------------------------------------------------------------------------------------
function startChild(name, command, args, opts) {
  const child = spawn(command, args, { ...opts, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  children.add(child);
  child.on('exit', (code, signal) => {
    if (!stopping) fail(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`);
  });
  return child;
}

async function waitFor(url, { timeoutMs, what }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping) fail(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s.`);
  return false;
}

async function main() {
  await ensureModels();
  if (stopping) return;
  await ensureBuild();
  if (stopping) return;
  const secrets = ensureSecrets();
  if (stopping) return;

  const env = {
    ...process.env,
    ...secrets,
    DATA_DIR,
    PORT: String(PORT),
    HOST,
    INFERENCE_PORT: String(INFERENCE_PORT),
    // Only this machine's web server talks to the inference service it starts: keep it off the network.
    INFERENCE_HOST: process.env.INFERENCE_HOST || '127.0.0.1',
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production',
  };
  const admin = ensureAdmin(env);
  if (stopping) return;

  // A dns+http://NAME:PORT entry (discovery by DNS) is waited for at http://NAME:PORT: any of its replicas.
  const inferenceUrl = external
    ? process.env.INFERENCE_URLS.split(',')[0]
        .trim()
        .replace(/^dns\+/i, '')
        .replace(/\/$/, '')
    : `http://127.0.0.1:${INFERENCE_PORT}`;
  if (!external) {
    say(`starting the inference service on port ${INFERENCE_PORT}…`);
    startChild('The inference service', bin('tsx'), [join(root, 'apps', 'inference', 'src', 'server', 'main.ts')], {
      cwd: root,
      env,
    });
  }
  if (
    !(await waitFor(`${inferenceUrl}/readyz`, {
      timeoutMs: Number(process.env.INFERENCE_READY_TIMEOUT_MS || 300_000),
      what: 'The inference service',
    }))
  )
    return;

  say(`starting the web server on ${HOST}:${PORT}…`);
  const web = webServerCommand(root, { port: PORT, host: HOST });
  startChild('The web server', web.command, web.args, { cwd: web.cwd, env: { ...env, ...web.env } });
  const local = `http://${HOST === '0.0.0.0' || HOST === '::' ? 'localhost' : HOST}:${PORT}`;
  if (!(await waitFor(`${local}/api/auth/providers`, { timeoutMs: 120_000, what: 'The web server' }))) return;

  console.log('');
  console.log(`  Ready: ${process.env.NEXTAUTH_URL || local}`);
  if (admin.created) {
    if (admin.password) {
      console.log(`  First admin account (shown only this once — note it down):`);
      console.log(`    email:    ${admin.email}`);
      console.log(`    password: ${admin.password}`);
    } else {
      console.log(`  First admin account: ${admin.email} (password from ADMIN_PASSWORD).`);
    }
  } else if (admin.reason) {
    console.log(`  ${admin.reason}`);
  }
  console.log('  Press Ctrl-C to stop.');
  console.log('');
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
