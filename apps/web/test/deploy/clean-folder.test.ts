/**
 * The CPU Dockerfile's install and start steps, run without an engine in a clean folder (issue 13,
 * kept beside `npm run docker:smoke`, which builds and runs the real image). The install command is
 * read from docker/Dockerfile's `app` stage, so the two cannot drift: in a folder holding only the
 * package manifests it must install the production tree with no install script and no compiler
 * (the prebuilt native modules load and work), without dev tools, with onnxruntime-node for this
 * platform only. Then the image's entry point runs `migrate` against a fresh PostgreSQL database and
 * `start:inference` from that folder, which must answer /readyz and stop on SIGTERM.
 * The web server's start needs the standalone build; docker:smoke covers it on the engine.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '@bgr/db/test/support';
import { repo } from './support';

type Instruction = { op: string; args: string };

/** docker/Dockerfile's instructions per stage name (continuation lines joined, comments dropped). */
function dockerfileStages(text: string): Map<string, Instruction[]> {
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  const logical = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  for (const line of logical.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, op, args] = match as unknown as [string, string, string];
    if (op === 'FROM') {
      current = [];
      stages.set(/\sAS\s+(\S+)/i.exec(args)?.[1] ?? `stage-${stages.size}`, current);
    }
    current.push({ op, args: args.trim() });
  }
  return stages;
}

/** Files git knows (tracked and untracked-but-not-ignored), as the build context sends them. */
function contextFiles(): string[] {
  const res = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repo('.'),
    encoding: 'utf8',
  });
  return res.stdout.split('\n').filter((f) => f && existsSync(repo(f)));
}

const PORT = 3662;
const stages = dockerfileStages(readFileSync(repo('docker/Dockerfile'), 'utf8'));
const app = stages.get('app') ?? [];
const install = app.find((i) => i.op === 'RUN' && i.args.includes('npm ci'));
const contextCopies = app.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'));

describe("docker/Dockerfile's install and start steps in a clean folder", () => {
  let dir: string;
  let dbName: string;
  let inference: ChildProcess | undefined;
  // This process's environment (PATH, HOME, proxies, CA bundle) without npm's or the app's settings.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|DATABASE_URL$|DATA_DIR$|STORAGE_|INFERENCE_|PORT$|NEXT)/i.test(k),
    ),
  );
  const env = (): NodeJS.ProcessEnv => ({
    ...inherited,
    NODE_ENV: 'production',
    MODELS_DIR: repo('models'),
    DATA_DIR: path.join(dir, 'data'),
  });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bgr-clean-folder-'));
    mkdirSync(path.join(dir, 'data'));
    // The manifests stage: every package.json, the lockfile and .npmrc.
    for (const file of contextFiles()) {
      if (path.basename(file) === 'package.json' || file === 'package-lock.json' || file === '.npmrc') {
        cpSync(repo(file), path.join(dir, file));
      }
    }
  });

  afterAll(async () => {
    inference?.kill('SIGKILL');
    if (dbName) {
      const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${dbName}" with (force)`).finally(() => sql.end({ timeout: 5 }));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs production dependencies with no install script, no compiler and no dev tools', () => {
    expect(install?.args, "the app stage's npm ci").toMatch(/npm ci --omit=dev --ignore-scripts/);
    const res = spawnSync('sh', ['-c', install!.args], { cwd: dir, env: env(), encoding: 'utf8', timeout: 540_000 });
    expect(res.status, res.stderr.slice(-2000)).toBe(0);

    const modules = path.join(dir, 'node_modules');
    // Nothing would compile with install scripts on either: the one node-gyp build file is sharp's
    // fallback, and sharp's own install check (`node install/check.js || npm run build`) passes here.
    const gyp = readdirSync(modules, { recursive: true })
      .map(String)
      .filter((f) => path.basename(f) === 'binding.gyp');
    expect(gyp).toEqual([path.join('sharp', 'src', 'binding.gyp')]);
    const sharpCheck = spawnSync(process.execPath, ['install/check.js'], {
      cwd: path.join(modules, 'sharp'),
      env: env(),
      encoding: 'utf8',
    });
    expect(sharpCheck.status, sharpCheck.stdout + sharpCheck.stderr).toBe(0);
    for (const tool of ['vitest', 'typescript', '@biomejs', 'turbo', 'drizzle-kit', 'next', '@next', 'playwright']) {
      expect(existsSync(path.join(modules, tool)), `${tool} is not in the production tree`).toBe(false);
    }
    expect(existsSync(path.join(modules, '.bin', 'tsx')), 'tsx runs the services').toBe(true);
    const ort = path.join(modules, 'onnxruntime-node', 'bin', 'napi-v6');
    const platforms = readdirSync(ort).flatMap((p) => readdirSync(path.join(ort, p)).map((a) => `${p}/${a}`));
    expect(platforms).toEqual([`${process.platform}/${process.arch}`]);

    // The native modules are prebuilt: they load and work although no install script ran.
    const probe = `
      const argon2 = require('@node-rs/argon2');
      const sharp = require('sharp');
      const ort = require('onnxruntime-node');
      (async () => {
        const hash = await argon2.hash('a password', { memoryCost: 65536, timeCost: 3, parallelism: 4 });
        const png = await sharp({ create: { width: 4, height: 3, channels: 4, background: '#f00' } }).png().toBuffer();
        console.log(JSON.stringify({
          verified: await argon2.verify(hash, 'a password'),
          width: (await sharp(png).metadata()).width,
          session: typeof ort.InferenceSession.create,
        }));
      })();`;
    const loaded = spawnSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toEqual({ verified: true, width: 4, session: 'function' });
  }, 600_000);

  it("copies the runtime sources and migrates a fresh database with the image's `migrate`", async () => {
    expect(contextCopies.map((c) => c.args.split(/\s+/)[0])).toEqual(
      expect.arrayContaining(['scripts', 'packages', 'apps/inference/src', 'docker/entrypoint.sh']),
    );
    for (const copy of contextCopies) {
      const [from, to] = copy.args.split(/\s+/) as [string, string];
      const target = path.join(dir, to.endsWith('/') ? path.join(to, path.basename(from)) : to);
      cpSync(repo(from), target, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
    }

    dbName = `bgr_clean_${process.pid}_${Date.now()}`;
    const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`).finally(() => admin.end({ timeout: 5 }));
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${dbName}`;

    const res = spawnSync('sh', ['docker/entrypoint.sh', 'migrate'], {
      cwd: dir,
      env: { ...env(), DATABASE_URL: url.toString() },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select count(*)::int as n from information_schema.tables where table_name = 'users'`;
      expect(row?.n).toBe(1);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 240_000);

  it("starts the inference service with the image's `start:inference`, ready on /readyz, stopped by SIGTERM", async () => {
    const answering = () =>
      fetch(`http://127.0.0.1:${PORT}/readyz`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.ok)
        .catch(() => false);
    expect(await answering(), `port ${PORT} must be free before the start`).toBe(false);
    const child = spawn('sh', ['docker/entrypoint.sh', 'start:inference'], {
      cwd: dir,
      env: {
        ...env(),
        INFERENCE_PORT: String(PORT),
        INFERENCE_HOST: '127.0.0.1',
        INFERENCE_SECRET: 'clean-folder-secret',
        INFERENCE_THREADS: '1',
        INFERENCE_SKIP_MODEL_HASH: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    inference = child;
    let output = '';
    child.stdout?.on('data', (c) => {
      output += c;
    });
    child.stderr?.on('data', (c) => {
      output += c;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const deadline = Date.now() + 180_000;
    let ready = false;
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      ready = await answering();
      if (!ready) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(ready, output.slice(-2000)).toBe(true);
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 40_000))]);
    expect(code, output.slice(-2000)).not.toBe('still running');
    // The signal reached the service itself (the entry point execs it): nothing is left listening.
    expect(await answering()).toBe(false);
    inference = undefined;
  }, 240_000);
});
