/**
 * `bgr remove` against the real API server (real handlers over HTTP, real IS-Net inference, the
 * ledger on PostgreSQL): folder runs with --json, skipping what exists, a run killed half-way and
 * started again, a 402 in the middle of a batch. The client runs as a child process, as users run it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { balance } from '@bgr/db/queries/ledger';
import { usageEvents } from '@bgr/db/schema';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInferenceService, type InferenceService } from '../support/inference-service';
import { startApiServer, type ApiServer } from '../api/support/server';
import { createWorld, type World } from '../api/support/world';
import { finished, parseJson, runBgr, spawnBgr, writePhotos } from './support/bgr';

/** Six photos in two sub-folders, every accepted extension and case among them. */
const SIX = ['cats/a.jpg', 'cats/b.PNG', 'cats/c.webp', 'dogs/d.jpeg', 'dogs/e.jpg', 'dogs/f.png'];
const removebgName = (file: string) => file.replace(/\.[^.]+$/, '-removebg.png');

let inference: InferenceService;
let world: World;
let server: ApiServer;
const dirs: string[] = [];

beforeAll(async () => {
  inference = await startInferenceService();
  world = await createWorld('postgres', inference);
  server = await startApiServer(world.deps);
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await inference?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A working folder with the six photos under photos/, and an account with `credits`. */
async function setup(credits: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgr-cli-'));
  dirs.push(dir);
  await writePhotos(path.join(dir, 'photos'), SIX);
  const account = await world.newAccount(credits);
  // The server's root URL, as people pass it (the client adds /v1.0).
  const env = { BGR_API_URL: server.baseUrl.replace(/\/v1\.0$/, ''), BGR_API_KEY: account.key };
  const units = async () => (await balance(world.db, { userId: account.userId })).totalUnits;
  const usage = () => world.db.select().from(usageEvents).where(eq(usageEvents.userId, account.userId));
  return { dir, env, account, units, usage };
}

async function expectCutout(file: string, width: number) {
  const meta = await sharp(file).metadata();
  expect(meta.format).toBe('png');
  expect(meta.channels).toBe(4);
  expect(meta.width).toBe(width);
}

// Each case runs the client against IS-Net on a shared two-core machine: give it room. (The first
// case pays for the six masks; later cases reuse the same photos, whose masks the service caches.)
vi.setConfig({ testTimeout: 300_000 });

describe('bgr remove', () => {
  it('processes a folder of six images in two sub-folders, then skips them all on a second run', async () => {
    const { dir, env, units, usage } = await setup(10);
    const first = await runBgr(['remove', '--recursive', '--json', '--concurrency', '2', 'photos'], { cwd: dir, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const json = parseJson(first);
    // size auto on images under 0.25 MP: the API's preview price, ¼ credit each.
    expect({ ...json, files: undefined }).toEqual({
      processed: 6,
      skipped: 0,
      failed: 0,
      creditsCharged: 1.5,
      files: undefined,
    });
    expect(json.files.map((f) => [f.input, f.output, f.status, f.credits, f.error])).toEqual(
      SIX.map((f) => [path.join('photos', f), path.join('photos', removebgName(f)), 'processed', 0.25, null]),
    );
    for (const [i, f] of SIX.entries()) await expectCutout(path.join(dir, 'photos', removebgName(f)), 64 + i * 16);
    expect(await units()).toBe(40 - 6);
    // Counted as the "apps" channel (by the client's User-Agent), at the API's prices.
    const events = await usage();
    expect(events.map((e) => [e.channel, e.ok, e.units])).toEqual(SIX.map(() => ['apps', true, 1]));

    // The outputs sit beside their inputs but are never inputs themselves: nothing to pay.
    const second = await runBgr(['remove', '--recursive', '--json', 'photos'], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    const again = parseJson(second);
    expect([again.processed, again.skipped, again.failed, again.creditsCharged]).toEqual([0, 6, 0, 0]);
    expect(again.files.every((f) => f.status === 'skipped' && f.credits === 0)).toBe(true);
    expect(await units()).toBe(40 - 6);
    expect(await usage()).toHaveLength(6);

    // Without --json: one line per file and a summary in words.
    const text = await runBgr(['remove', '--recursive', 'photos'], { cwd: dir, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('skipped photos/cats/a.jpg: photos/cats/a-removebg.png exists');
    expect(text.stdout).toContain('0 processed, 6 skipped (output exists), 0 failed; 0 credits charged.');
  });

  it('writes to --output-directory keeping the folders, with the extension of --format; a glob as input', async () => {
    const { dir, env, units } = await setup(10);
    const webp = await runBgr(
      ['remove', '--recursive', '--json', '--output-directory', 'out', '--format', 'webp', 'photos'],
      {
        cwd: dir,
        env,
      },
    );
    expect(webp.code, webp.stderr).toBe(0);
    const json = parseJson(webp);
    expect(json.files.map((f) => f.output)).toEqual(SIX.map((f) => path.join('out', f.replace(/\.[^.]+$/, '.webp'))));
    expect((await sharp(path.join(dir, 'out/dogs/f.webp')).metadata()).format).toBe('webp');
    expect(await units()).toBe(40 - 6);

    // A quoted glob (the shell leaves it alone); the structure below its base folder is kept.
    const png = await runBgr(['remove', '--json', '--output-directory', 'png', 'photos/**/*.jpg'], { cwd: dir, env });
    expect(png.code, png.stderr).toBe(0);
    const pngJson = parseJson(png);
    expect(pngJson.files.map((f) => [f.input, f.output])).toEqual([
      [path.join('photos/cats/a.jpg'), path.join('png/cats/a.png')],
      [path.join('photos/dogs/e.jpg'), path.join('png/dogs/e.png')],
    ]);
    expect(pngJson.creditsCharged).toBe(0.5);
    await expectCutout(path.join(dir, 'png/cats/a.png'), 64);

    // --reprocess-existing sends them again: the same image and options carry the same
    // Idempotency-Key, so the server replays the paid call (within its 24 hours) for nothing.
    const again = await runBgr(
      ['remove', '--json', '--reprocess-existing', '--output-directory', 'png', 'photos/**/*.jpg'],
      {
        cwd: dir,
        env,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect([parseJson(again).processed, parseJson(again).creditsCharged]).toEqual([2, 0]);
    expect(await units()).toBe(40 - 6 - 2);
  });

  it('charges each image once when a run is killed half-way and started again', async () => {
    const { dir, env, units } = await setup(10);
    const outputs = () => SIX.map((f) => path.join(dir, 'photos', removebgName(f))).filter((file) => existsSync(file));
    const child = spawnBgr(['remove', '--recursive', '--json', '--concurrency', '1', 'photos'], { cwd: dir, env });
    const done = finished(child);
    const deadline = Date.now() + 60_000;
    while (outputs().length === 0 && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const before = outputs().length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(6);

    const restart = await runBgr(['remove', '--recursive', '--json', 'photos'], { cwd: dir, env });
    expect(restart.code, restart.stderr).toBe(0);
    const json = parseJson(restart);
    expect(json.skipped).toBe(before);
    expect(json.processed).toBe(6 - before);
    // Six images, ¼ credit each, whatever was in flight when the first run died.
    expect(await units()).toBe(40 - 6);
    // Every output is whole (temp file + rename), and no temp file is mistaken for an output.
    for (const [i, f] of SIX.entries()) await expectCutout(path.join(dir, 'photos', removebgName(f)), 64 + i * 16);
  });

  it('stops sending new files after a 402 and reports what was not done', async () => {
    const { dir, env, units, usage } = await setup(1);
    const run = await runBgr(['remove', '--recursive', '--json', '--size', 'preview', '--concurrency', '1', 'photos'], {
      cwd: dir,
      env,
    });
    expect(run.code).toBe(1);
    const json = parseJson(run);
    expect([json.processed, json.skipped, json.failed, json.creditsCharged]).toEqual([4, 0, 2, 1]);
    expect(json.files.map((f) => f.status)).toEqual([
      'processed',
      'processed',
      'processed',
      'processed',
      'failed',
      'failed',
    ]);
    // The API's own sentence for the 402, then the file that was never sent.
    expect(json.files[4]?.error).toBe('A call needs at least 0.25 credits; 0 credits available.');
    expect(json.files[5]?.error).toBe('Not sent: the account has too few credits (the API answered 402).');
    expect(existsSync(path.join(dir, 'photos/dogs/f-removebg.png'))).toBe(false);
    expect(await units()).toBe(0);
    // Five requests reached the server: four paid and the refused one; the sixth was never sent.
    expect((await usage()).map((e) => e.ok)).toEqual([true, true, true, true, false]);

    const text = await runBgr(['remove', '--recursive', '--size', 'preview', 'photos'], { cwd: dir, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Stopped sending new files: the account has too few credits (the API answered 402).');
    expect(text.stdout).toContain('0 processed, 4 skipped (output exists), 2 failed; 0 credits charged.');
    expect(text.stdout).toContain('photos/dogs/e.jpg: A call needs at least 0.25 credits; 0 credits available.');
  });

  it('waits out a 429 for its Retry-After instead of failing the file', async () => {
    const { dir, env, units } = await setup(10);
    // The same stack with a limit of 2 megapixel-units a minute: the third small image is refused.
    const limited = await startApiServer({ ...world.deps, rateLimitMpu: 2 });
    try {
      const started = Date.now();
      const run = await runBgr(['remove', '--concurrency', '1', 'photos/cats'], {
        cwd: dir,
        env: { ...env, BGR_API_URL: limited.baseUrl },
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^waiting \d+ s \(rate limited\)$/m);
      expect(run.stdout).toContain('3 processed, 0 skipped (output exists), 0 failed; 0.75 credits charged.');
      expect(Date.now() - started).toBeGreaterThan(5_000);
      expect(await units()).toBe(40 - 3);
    } finally {
      await limited.close();
    }
  });

  it('saves --format zip results that zip2png turns into PNGs of the same size', async () => {
    const { dir, env } = await setup(10);
    const run = await runBgr(['remove', '--json', '--format', 'zip', 'photos/cats/a.jpg'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(parseJson(run).files[0]?.output).toBe(path.join('photos/cats/a-removebg.zip'));
    const zip2png = await runBgr(['zip2png', 'photos/cats/a-removebg.zip'], { cwd: dir });
    expect(zip2png.code, zip2png.stderr).toBe(0);
    await expectCutout(path.join(dir, 'photos/cats/a-removebg.png'), 64);
    expect(readdirSync(path.join(dir, 'photos/cats')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('bgr account', () => {
  it("shows the balance in words or as the API's JSON, and the API's sentence for a wrong key", async () => {
    const { dir, env } = await setup(12.5);
    const text = await runBgr(['account'], { cwd: dir, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trim()).toBe('12.5 credits (subscription 0, pay as you go 0, other 12.5); 0 free API calls.');
    const json = await runBgr(['account', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toEqual({
      credits: { total: 12.5, subscription: 0, payg: 0, enterprise: 12.5 },
      api: { free_calls: 0, sizes: 'all' },
    });
    const wrong = await runBgr(['account', '--api-key', 'not-a-key'], { cwd: dir, env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe('API Key invalid.');
  });
});
