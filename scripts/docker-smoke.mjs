#!/usr/bin/env node
// `npm run docker:smoke`: the Docker image checked on a real engine, as a deployer would use it.
//   1. builds docker/Dockerfile (`docker build --network host -f docker/Dockerfile -t bgr .`);
//   2. checks the image: at most 800 MB, runs as a non-root user, has a HEALTHCHECK;
//   3. runs it with --network host against a fresh database on the host's PostgreSQL, given only
//      DATABASE_URL, PORT, INFERENCE_PORT, HOST and NEXTAUTH_URL (no secrets, no volume): the
//      all-in-one default command must migrate, generate its secrets and answer within 300 s;
//   4. creates a user, credits and an API key with the admin CLI inside the container;
//   5. makes one paid preview call (POST /v1.0/removebg) through the container and checks the
//      answer (a PNG cut-out of the preview size) and the charge (0.25 credit, balance down by it);
//   6. removes the container and the database, whatever happened.
// Not part of `npm test` (it takes minutes). Needs an engine: `bash ../shared/docker/local-engine.sh`.
// The PostgreSQL server: DATABASE_URL, else TEST_DATABASE_URL, else .cache/test-env.json's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMAGE = 'bgr';
const PORT = 3600;
const INFERENCE_PORT = PORT + 1;
const MAX_IMAGE_BYTES = 800e6;
const READY_WITHIN_MS = 300_000;
const say = (line) => console.log(`[docker:smoke] ${line}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

class SmokeFailure extends Error {}
function check(ok, sentence) {
  if (!ok) throw new SmokeFailure(sentence);
}

function docker(args, { input, allowFail = false } = {}) {
  const res = spawnSync('docker', args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (res.status !== 0 && !allowFail)
    throw new SmokeFailure(
      `docker ${args.slice(0, 2).join(' ')} failed: ${(res.stderr || res.error?.message || '').trim()}`,
    );
  return res;
}

/** Streams a long command's output with a prefix; resolves with its exit code. */
function stream(cmd, args, prefix) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`${prefix} ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('close', (code) => done(code ?? 1));
  });
}

function serverUrl() {
  const fromFile = () => {
    const file = join(root, '.cache', 'test-env.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).TEST_DATABASE_URL : undefined;
  };
  const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || fromFile();
  check(url, 'No PostgreSQL server: set DATABASE_URL (or TEST_DATABASE_URL) to one this machine reaches.');
  return url;
}

async function withAdminDb(url, fn) {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function waitReady(url, container, timeoutMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = docker(['inspect', '-f', '{{.State.Status}}', container], { allowFail: true }).stdout.trim();
    check(state === 'running' || state === 'created', `The container stopped (${state || 'gone'}) before answering.`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return Date.now() - started;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new SmokeFailure(`The container did not answer ${url} within ${seconds(timeoutMs)}.`);
}

/** Runs the admin CLI inside the container; returns its one JSON document. */
function admin(container, args) {
  const res = docker(['exec', container, 'npm', 'run', '-s', 'admin', '--', ...args], { allowFail: true });
  check(res.status === 0, `admin ${args[0]} failed in the container: ${res.stderr.trim().split('\n').pop()}`);
  return JSON.parse(res.stdout);
}

async function testImage() {
  const { default: sharp } = await import('sharp');
  // A red disc on a grey studio wall: a subject the model separates.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#c8c8c8"/><circle cx="320" cy="250" r="150" fill="#d02020"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

async function main() {
  const info = docker(['info', '--format', '{{.ServerVersion}}'], { allowFail: true });
  check(
    info.status === 0,
    'No Docker engine answers. Start one (as root): bash ../shared/docker/local-engine.sh — then run this again.',
  );
  say(`engine ${info.stdout.trim()}`);

  // 1. Build.
  say(`building ${IMAGE}: docker build --network host -f docker/Dockerfile -t ${IMAGE} .`);
  const buildStart = Date.now();
  const built = await stream(
    'docker',
    ['build', '--network', 'host', '-f', 'docker/Dockerfile', '-t', IMAGE, '.'],
    '  build |',
  );
  check(built === 0, 'docker build failed (see the lines above).');
  const buildMs = Date.now() - buildStart;
  say(`built in ${seconds(buildMs)}`);

  // 2. The image's rules.
  const [size, user, health] = docker([
    'image',
    'inspect',
    '-f',
    '{{.Size}}|{{.Config.User}}|{{json .Config.Healthcheck}}',
    IMAGE,
  ])
    .stdout.trim()
    .split('|');
  const bytes = Number(size);
  say(
    `image size ${(bytes / 1e6).toFixed(1)} MB (limit ${MAX_IMAGE_BYTES / 1e6} MB), user ${user}, healthcheck ${health}`,
  );
  check(bytes <= MAX_IMAGE_BYTES, `The image is ${(bytes / 1e6).toFixed(1)} MB, over ${MAX_IMAGE_BYTES / 1e6} MB.`);
  check(user && user !== 'root' && user !== '0', `The image runs as "${user || 'root'}", not a non-root user.`);
  check(health.includes('healthcheck.mjs'), 'The image has no HEALTHCHECK.');

  // 3. A fresh database and the container with only the five variables.
  const server = serverUrl();
  const dbName = `bgr_smoke_${Date.now()}`;
  const dbUrl = (() => {
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const container = `bgr-smoke-${process.pid}`;
  await withAdminDb(server, (sql) => sql.unsafe(`create database ${dbName}`));
  say(`fresh database ${dbName}`);
  const base = `http://127.0.0.1:${PORT}`;
  try {
    docker([
      'run',
      '-d',
      '--name',
      container,
      '--network',
      'host',
      '-e',
      `DATABASE_URL=${dbUrl}`,
      '-e',
      `PORT=${PORT}`,
      '-e',
      `INFERENCE_PORT=${INFERENCE_PORT}`,
      '-e',
      'HOST=127.0.0.1',
      '-e',
      `NEXTAUTH_URL=${base}`,
      IMAGE,
    ]);
    say(`started ${container} (npm start inside, web on ${PORT}, inference on ${INFERENCE_PORT})`);
    const readyMs = await waitReady(`${base}/api/auth/providers`, container, READY_WITHIN_MS);
    say(`answered in ${seconds(readyMs)} after docker run (limit ${seconds(READY_WITHIN_MS)})`);
    const whoami = docker(['exec', container, 'id', '-un']).stdout.trim();
    check(whoami !== 'root', 'The container runs as root.');
    const secrets = docker(['exec', container, 'sh', '-c', 'stat -c %U "$DATA_DIR/secrets.json"'], { allowFail: true });
    check(secrets.status === 0, 'The container generated no secrets file in DATA_DIR.');
    say(`runs as ${whoami}; generated secrets kept in DATA_DIR, owned by ${secrets.stdout.trim()}`);

    // 4. A user, credits and a key, through the admin CLI in the container.
    const email = 'smoke@example.com';
    admin(container, ['create-user', '--email', email, '--password', 'smoke test password']);
    admin(container, ['grant', '--email', email, '--credits', '2', '--kind', 'payg']);
    const { key } = admin(container, ['api-key', 'create', '--email', email, '--name', 'smoke']);
    const before = admin(container, ['balance', '--email', email]).total;
    say(`user ${email} with ${before} credits and an API key (admin CLI in the container)`);

    // 5. One paid preview call through the container.
    const form = new FormData();
    form.append('image_file', new Blob([await testImage()], { type: 'image/jpeg' }), 'smoke.jpg');
    form.append('size', 'preview');
    form.append('format', 'png');
    const callStart = Date.now();
    const res = await fetch(`${base}/v1.0/removebg`, { method: 'POST', headers: { 'X-Api-Key': key }, body: form });
    const callMs = Date.now() - callStart;
    const body = Buffer.from(await res.arrayBuffer());
    check(res.status === 200, `The preview call answered ${res.status}: ${body.toString('utf8').slice(0, 300)}`);
    check(
      res.headers.get('content-type') === 'image/png',
      `The answer is ${res.headers.get('content-type')}, not a PNG.`,
    );
    const { default: sharp } = await import('sharp');
    const meta = await sharp(body).metadata();
    const stats = await sharp(body).stats();
    const alpha = stats.channels[3];
    check(meta.hasAlpha && alpha && alpha.min < 16 && alpha.max > 240, 'The PNG has no cut-out (alpha is not 0..255).');
    const charged = res.headers.get('x-credits-charged');
    const after = admin(container, ['balance', '--email', email]).total;
    say(
      `preview call: 200 image/png ${meta.width}×${meta.height} in ${callMs} ms, X-Credits-Charged ${charged}, balance ${before} → ${after}`,
    );
    check(Number(charged) === 0.25, `The preview was charged ${charged} credits, not 0.25.`);
    check(
      Math.abs(Number(before) - Number(after) - 0.25) < 1e-9,
      `The balance went ${before} → ${after}, not down 0.25.`,
    );

    // The image's HEALTHCHECK (node scripts/healthcheck.mjs → /readyz) must report healthy.
    let health = '';
    for (const started = Date.now(); Date.now() - started < 120_000; ) {
      health = docker(['inspect', '-f', '{{.State.Health.Status}}', container]).stdout.trim();
      if (health === 'healthy') break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const healthLog = docker(['inspect', '-f', '{{json .State.Health.Log}}', container]).stdout.trim();
    check(health === 'healthy', `The container's healthcheck says "${health}": ${healthLog}`);
    say(`container health: ${health}`);
    say(
      `PASSED — build ${seconds(buildMs)}, image ${(bytes / 1e6).toFixed(1)} MB, ready ${seconds(readyMs)}, call ${callMs} ms`,
    );
  } catch (err) {
    const logs = docker(['logs', '--tail', '40', container], { allowFail: true });
    for (const line of `${logs.stdout}${logs.stderr}`.split('\n'))
      if (line.trim()) console.log(`  container | ${line}`);
    throw err;
  } finally {
    docker(['rm', '-f', container], { allowFail: true });
    await withAdminDb(server, (sql) => sql.unsafe(`drop database if exists ${dbName} with (force)`)).catch(() => {});
    say(`removed ${container} and ${dbName}`);
  }
}

main().catch((err) => {
  console.error(`[docker:smoke] FAILED: ${err instanceof SmokeFailure ? err.message : err?.stack || err}`);
  process.exit(1);
});
