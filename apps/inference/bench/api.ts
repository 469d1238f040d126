// The whole web API call, measured against the real product: `node scripts/start.mjs` (Next.js
// production server + inference service) on a throwaway PostgreSQL database, an API key and
// credits made with the admin CLI, then timed `POST /v1.0/removebg` calls (multipart, size=full,
// format=png), each with different bytes, alternating with runs of the plain-session baseline;
// then the throughput: `throughputImages` different images through `throughputConcurrency`
// concurrent calls, timed as a whole, with baseline runs just before and after. PostgreSQL rather than PGlite because PGlite is
// single-process and the CLI must write while the server holds the database.
// Everything it starts or creates (process group, database, temp folders) is removed at the end,
// also on failure or Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface ApiBenchOptions {
  repoRoot: string;
  /** A different upload every call. */
  nextImage: () => Promise<Buffer>;
  calls: number;
  /** One timed run of the plain-session baseline (ms); called between the timed calls. */
  raw: () => Promise<number>;
  throughputImages?: number;
  throughputConcurrency?: number;
  port?: number;
  inferencePort?: number;
  /** How long to wait for "Ready" (includes a Next build when none is current). */
  startTimeoutMs?: number;
}

export interface ApiBenchResult {
  ms: number[];
  /** Baseline runs alternated with the timed calls. */
  rawMs: number[];
  throughput?: { images: number; concurrency: number; seconds: number; rawMs: number[] };
  /** Milliseconds from spawning start.mjs to its "Ready" line. */
  startMs: number;
  error?: string;
}

const PG = ['-h', '127.0.0.1', '-U', 'postgres'];

export async function benchWebApi(opts: ApiBenchOptions): Promise<ApiBenchResult> {
  const port = opts.port ?? 3560;
  const inferencePort = opts.inferencePort ?? 3561;
  const dbName = `bgr_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const tmp = mkdtempSync(join(os.tmpdir(), 'bgr-bench-api-'));
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const email = 'bench@local';
  let stack: ChildProcess | null = null;
  let dbCreated = false;
  let log = '';

  const cleanup = async () => {
    if (stack) await stopGroup(stack);
    stack = null;
    if (dbCreated) spawnSync('dropdb', [...PG, '--if-exists', '--force', dbName], { stdio: 'ignore' });
    dbCreated = false;
    rmSync(tmp, { recursive: true, force: true });
  };
  // Ctrl-C / SIGTERM during the run: clean up, then exit as the signal would.
  const onSignal = (sig: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const t0 = performance.now();
  let startMs = NaN;
  try {
    const created = spawnSync('createdb', [...PG, dbName], { encoding: 'utf8' });
    if (created.status !== 0)
      return {
        ms: [],
        rawMs: [],
        startMs,
        error: `createdb failed: ${(created.stderr || created.error?.message || '').trim()}`,
      };
    dbCreated = true;

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      INFERENCE_PORT: String(inferencePort),
      DATA_DIR: join(tmp, 'data'),
      STORAGE_DIR: join(tmp, 'storage'),
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      NEXT_DIST_DIR: '.next-bench',
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    };
    // The stack must run its own inference service, not one from the caller's environment.
    delete env.INFERENCE_URLS;
    console.error(`bench: starting the web stack (node scripts/start.mjs, port ${port}, database ${dbName}) …`);
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: opts.repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack = child;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Ready" line within ${Math.round((opts.startTimeoutMs ?? 600_000) / 1000)} s`)),
        opts.startTimeoutMs ?? 600_000,
      );
      const onData = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
        if (/^\s*Ready: /m.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`start.mjs exited (${signal ?? code}) before it was ready`));
      });
    });
    await ready;
    startMs = performance.now() - t0;
    // Keep draining its output so the pipes never fill up.
    child.stdout!.on('data', () => {});
    child.stderr!.on('data', () => {});

    const tpImages = opts.throughputImages ?? 0;
    cli(opts.repoRoot, databaseUrl, [
      'grant',
      '--email',
      email,
      '--credits',
      String(opts.calls + tpImages + 2),
      '--kind',
      'promo',
      '--note',
      'bench',
    ]);
    const { key } = cli(opts.repoRoot, databaseUrl, ['api-key', 'create', '--email', email, '--name', 'bench']) as {
      key: string;
    };

    const call = async (image: Buffer): Promise<number> => {
      const form = new FormData();
      form.set('image_file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'photo.jpg');
      form.set('size', 'full');
      form.set('format', 'png');
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/v1.0/removebg`, {
        method: 'POST',
        headers: { 'X-Api-Key': key },
        body: form,
      });
      const body = await res.arrayBuffer();
      const ms = performance.now() - t;
      if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('image/png')) {
        throw new Error(
          `POST /v1.0/removebg answered ${res.status}: ${Buffer.from(body).toString('utf8').slice(0, 200)}`,
        );
      }
      return ms;
    };
    await call(await opts.nextImage()); // warm-up: first request compiles routes, opens the database pool
    const ms: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < opts.calls; i++) {
      rawMs.push(await opts.raw());
      ms.push(await call(await opts.nextImage()));
    }
    rawMs.push(await opts.raw());
    let throughput: ApiBenchResult['throughput'];
    if (tpImages > 0) {
      const concurrency = opts.throughputConcurrency ?? 4;
      const images: Buffer[] = [];
      for (let i = 0; i < tpImages; i++) images.push(await opts.nextImage());
      const tpRaw = [await opts.raw()];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < images.length) await call(images[next++]!);
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      tpRaw.push(await opts.raw());
      throughput = { images: tpImages, concurrency, seconds, rawMs: tpRaw };
    }
    return { ms, rawMs, startMs, throughput };
  } catch (err) {
    const tail = log.trim().split('\n').slice(-5).join(' | ');
    return {
      ms: [],
      rawMs: [],
      startMs,
      error: `${(err as Error).message}${tail ? ` (start.mjs: ${tail.slice(-300)})` : ''}`,
    };
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The admin CLI (`npm run -s admin -- …`) against the bench database; returns its JSON. */
function cli(repoRoot: string, databaseUrl: string, args: string[]): unknown {
  const r = spawnSync('npm', ['run', '-s', 'admin', '--', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(
      `admin ${args.slice(0, 2).join(' ')} failed: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`,
    );
  return JSON.parse(r.stdout);
}

/** SIGTERM to start.mjs's process group (it stops its children), SIGKILL after 20 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
