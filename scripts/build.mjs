#!/usr/bin/env node
// `npm run -s build`: everything `npm run -s start:web` and `npm run -s start:inference` need, and
// nothing they will do themselves (neither builds): the model files assembled and checked
// (scripts/fetch-model.mjs, a no-op when they match models/manifest.json) and the web app's
// production build (next build → apps/web/$NEXT_DIST_DIR, default .next). The inference service
// runs from source (tsx) and needs no build of its own.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.error(`[build] ${line}`);

function step(what, command, args, opts) {
  const started = Date.now();
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    say(`${what} failed (see the messages above).`);
    process.exit(res.status ?? 1);
  }
  say(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s.`);
}

step('model files', process.execPath, [join(root, 'scripts', 'fetch-model.mjs')]);
step('web app (next build)', join(root, 'node_modules', '.bin', 'next'), ['build'], {
  cwd: join(root, 'apps', 'web'),
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});
