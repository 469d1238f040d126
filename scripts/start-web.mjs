#!/usr/bin/env node
// `npm run -s start:web`: only the web server, for a scaled-out install (several web replicas, the
// inference service elsewhere, shared PostgreSQL and storage). It runs Next's production server in
// this very process (no child, nothing detached), so stopping npm stops it.
//   - needs DATABASE_URL, INFERENCE_URLS, INFERENCE_SECRET and NEXTAUTH_SECRET (else one sentence
//     naming the missing one); PORT (3000), HOST (0.0.0.0), STORAGE_URL and the rest as documented;
//   - never builds (without a build it says to run `npm run -s build`), never starts inference, and
//     never migrates unless given --migrate: otherwise the database is only checked
//     (DATABASE_MIGRATE=check: a schema behind this version is refused, naming `npm run -s migrate`);
//   - on SIGTERM (or Ctrl-C) it drains: /readyz answers 503 at once (a process-wide flag the route
//     reads), requests in flight finish — at most 30 s — then the listener closes and it exits.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'apps', 'web');
const say = (line) => console.error(`[web] ${line}`);
const DRAIN_GRACE_MS = 30_000;

function fail(sentence) {
  say(sentence);
  process.exit(1);
}

const env = process.env;
if (!env.NEXTAUTH_SECRET && env.AUTH_SECRET) env.NEXTAUTH_SECRET = env.AUTH_SECRET;
for (const name of ['DATABASE_URL', 'INFERENCE_URLS', 'INFERENCE_SECRET', 'NEXTAUTH_SECRET']) {
  if (!env[name]?.trim())
    fail(
      `${name} is not set: the web server alone needs DATABASE_URL, INFERENCE_URLS, INFERENCE_SECRET and NEXTAUTH_SECRET (README, "Scaling out").`,
    );
}

const distDir = env.NEXT_DIST_DIR || '.next';
if (!existsSync(join(webDir, distDir, 'BUILD_ID')))
  fail(`The web app is not built (apps/web/${distDir}/BUILD_ID is missing): run \`npm run -s build\` first.`);

if (process.argv.includes('--migrate')) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages', 'db', 'src', 'cli', 'migrate.ts')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) fail('The database could not be migrated (see the message above).');
}

const PORT = Number(env.PORT || 3000);
const HOST = env.HOST || '0.0.0.0';
Object.assign(env, { DATABASE_MIGRATE: 'check', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
// Next's own SIGTERM handler would exit at once; this process drains first.
env.NEXT_MANUAL_SIG_HANDLE = 'true';

const next = createRequire(join(webDir, 'package.json'))('next');
const app = next({ dir: webDir, dev: false, hostname: HOST, port: PORT });
const handle = app.getRequestHandler();
try {
  await app.prepare();
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

let inFlight = 0;
let onIdle = null;
const server = http.createServer((req, res) => {
  inFlight++;
  res.once('close', () => {
    inFlight--;
    if (inFlight === 0) onIdle?.();
  });
  handle(req, res).catch((err) => {
    say(`request failed: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeouts
await new Promise((resolveListen, reject) => {
  server.once('error', reject);
  server.listen(PORT, HOST, () => resolveListen());
}).catch((err) => fail(`Could not listen on ${HOST}:${PORT}: ${err.message}.`));
say(`listening on http://${HOST}:${PORT} (pid ${process.pid}).`);

let stopping = false;
async function drain(signal) {
  if (stopping) return;
  stopping = true;
  globalThis[Symbol.for('bgr.web.draining')] = true;
  say(`${signal}: /readyz answers 503; finishing ${inFlight} request(s) in flight (at most 30 s), then exiting.`);
  const hardStop = setTimeout(() => {
    say(`${inFlight} request(s) still open after 30 s; exiting.`);
    process.exit(0);
  }, DRAIN_GRACE_MS);
  hardStop.unref();
  if (inFlight > 0) await new Promise((r) => (onIdle = r));
  // Keep-alive connections close as they fall idle; the hard stop above bounds the rest.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  await new Promise((r) => {
    server.close(() => r());
    server.closeIdleConnections();
  });
  clearInterval(sweep);
  say('stopped.');
  process.exit(0);
}
process.on('SIGTERM', () => void drain('SIGTERM'));
process.on('SIGINT', () => void drain('SIGINT'));
