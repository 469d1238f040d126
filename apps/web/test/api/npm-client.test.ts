/**
 * The real npm client `remove.bg@1.3.0` against our API.
 *
 * The client's base URL is a constant (`const API_ENDPOINT = "https://api.remove.bg/v1.0/removebg"`
 * in dist/index.js). The test copies the installed package to a temp folder and rewrites only that
 * one line to point at the test server; everything else — unirest, multipart encoding, headers,
 * response parsing — is the published code. The copy resolves its dependency `unirest` through a
 * symlink to the installed one.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { balance } from '@bgr/db/queries/ledger';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startInferenceService as startInference, type InferenceService } from '../support/inference-service';
import { startApiServer, type ApiServer } from './support/server';
import { createWorld, makePhoto, type World } from './support/world';

const ORIGINAL_ENDPOINT = 'const API_ENDPOINT = "https://api.remove.bg/v1.0/removebg";';

interface RemoveBgResult {
  base64img: string;
  creditsCharged: string;
  resultWidth: string;
  resultHeight: string;
  rateLimit: string;
  rateLimitRemaining: string;
}

interface RemoveBgClient {
  removeBackgroundFromImageFile(options: Record<string, unknown>): Promise<RemoveBgResult>;
  removeBackgroundFromImageUrl(options: Record<string, unknown>): Promise<RemoveBgResult>;
  removeBackgroundFromImageBase64(options: Record<string, unknown>): Promise<RemoveBgResult>;
}

/** Installs a copy of remove.bg whose API_ENDPOINT is `baseUrl/removebg`; returns the client and its unirest. */
function patchedClient(tempDir: string, baseUrl: string): { client: RemoveBgClient; unirest: any } {
  const installed = path.join(repoRoot, 'node_modules/remove.bg');
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string };
  expect(pkg.version).toBe('1.3.0');
  const modules = path.join(tempDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const copy = path.join(modules, 'remove.bg');
  cpSync(installed, copy, { recursive: true, dereference: true });
  symlinkSync(path.join(repoRoot, 'node_modules/unirest'), path.join(modules, 'unirest'), 'dir');
  const entry = path.join(copy, 'dist/index.js');
  const source = readFileSync(entry, 'utf8');
  expect(source).toContain(ORIGINAL_ENDPOINT);
  writeFileSync(
    entry,
    source.replace(ORIGINAL_ENDPOINT, `const API_ENDPOINT = ${JSON.stringify(`${baseUrl}/removebg`)};`),
  );
  const require = createRequire(entry);
  return { client: require(entry) as RemoveBgClient, unirest: require('unirest') };
}

let inference: InferenceService;
let world: World;
let server: ApiServer;
let imageHost: http.Server;
let imagePort: number;
let tempDir: string;
let client: RemoveBgClient;
let unirest: any;
let account: { userId: string; key: string };
let photo: Buffer;
const previousAllow = process.env.FETCH_ALLOW_HOSTS;

beforeAll(async () => {
  inference = await startInference();
  world = await createWorld('pglite', inference);
  server = await startApiServer(world.deps);
  account = await world.newAccount(5);
  photo = await makePhoto(120, 90, 'jpeg');
  imageHost = http.createServer((req, res) => {
    if (req.url === '/photo.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length });
      res.end(photo);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
  imagePort = (imageHost.address() as AddressInfo).port;
  // The image host is internal (loopback): allow-list it by name, as an operator would.
  process.env.FETCH_ALLOW_HOSTS = 'localhost';
  tempDir = mkdtempSync(path.join(tmpdir(), 'bgr-removebg-client-'));
  ({ client, unirest } = patchedClient(tempDir, server.baseUrl));
});

afterAll(async () => {
  process.env.FETCH_ALLOW_HOSTS = previousAllow;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => (imageHost ? imageHost.close(() => resolve()) : resolve()));
  await server?.close();
  await world?.close();
  await inference?.stop();
});

describe('the npm client remove.bg@1.3.0', () => {
  it('removes the background of a file', async () => {
    const input = path.join(tempDir, 'photo.jpg');
    const output = path.join(tempDir, 'photo-no-bg.png');
    writeFileSync(input, photo);
    const result = await client.removeBackgroundFromImageFile({
      path: input,
      apiKey: account.key,
      size: 'regular',
      type: 'auto',
      outputFile: output,
    });
    expect(result.creditsCharged).toBe('0.25');
    const written = await sharp(readFileSync(output)).metadata();
    expect(written.format).toBe('png');
    expect(written.hasAlpha).toBe(true);
    expect([String(written.width), String(written.height)]).toEqual([result.resultWidth, result.resultHeight]);
    expect(result.rateLimit).toBe('500');
  });

  it('removes the background of an image at a URL served by the test', async () => {
    const result = await client.removeBackgroundFromImageUrl({
      url: `http://localhost:${imagePort}/photo.jpg`,
      apiKey: account.key,
      size: 'full',
      bg_color: 'green',
    });
    expect(result.creditsCharged).toBe('1');
    const meta = await sharp(Buffer.from(result.base64img, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([120, 90]);
  });

  it('removes the background of base64 data, with crop options', async () => {
    const result = await client.removeBackgroundFromImageBase64({
      base64img: photo.toString('base64'),
      apiKey: account.key,
      size: 'preview',
      crop: true,
      crop_margin: '4px',
    });
    expect(result.creditsCharged).toBe('0.25');
    const meta = await sharp(Buffer.from(result.base64img, 'base64')).metadata();
    // Cropped to the subject (plus margin): smaller than the 120×90 input.
    expect((meta.width ?? 0) * (meta.height ?? 0)).toBeLessThan(120 * 90);
  });

  it('add_shadow: true draws a shadow (darker pixels of partial alpha), at the same price and size', async () => {
    const darkPartial = async (base64: string) => {
      const { data } = await sharp(Buffer.from(base64, 'base64'))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let o = 0; o < data.length; o += 4) {
        const a = data[o + 3]!;
        if (a > 0 && a < 255 && data[o]! < 40 && data[o + 1]! < 40 && data[o + 2]! < 40) n++;
      }
      return n;
    };
    const options = { base64img: photo.toString('base64'), apiKey: account.key, size: 'preview', format: 'png' };
    const plain = await client.removeBackgroundFromImageBase64(options);
    const shadow = await client.removeBackgroundFromImageBase64({ ...options, add_shadow: true });
    expect(shadow.creditsCharged).toBe('0.25');
    expect([shadow.resultWidth, shadow.resultHeight]).toEqual([plain.resultWidth, plain.resultHeight]);
    expect(await darkPartial(shadow.base64img)).toBeGreaterThan((await darkPartial(plain.base64img)) + 20);
  });

  it('rejects with remove.bg’s error list for a wrong key', async () => {
    await expect(
      client.removeBackgroundFromImageBase64({ base64img: photo.toString('base64'), apiKey: 'bgr_wrong' }),
    ).rejects.toEqual([{ title: 'API Key invalid', code: 'auth_failed' }]);
  });

  it('reads the account (the client has no account call: its own HTTP layer, unirest, does the GET)', async () => {
    const b = await balance(world.db, { userId: account.userId });
    const res = await new Promise<{ status: number; body: any }>((resolve) =>
      unirest
        .get(`${server.baseUrl}/account`)
        .header('X-Api-Key', account.key)
        .header('Accept', 'application/json')
        .end((r: { status: number; body: unknown }) => resolve(r)),
    );
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      data: {
        attributes: {
          credits: { total: b.totalUnits / 4, subscription: 0, payg: 0, enterprise: b.promoUnits / 4 },
          api: { free_calls: 0, sizes: 'all' },
        },
      },
    });
    // 5 credits minus ¼ + 1 + ¼ and the two ¼ previews of the shadow test.
    expect(res.body.data.attributes.credits.total).toBe(3);
  });
});
