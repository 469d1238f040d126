/**
 * The remove.bg-compatible API over real HTTP: real handlers behind a node:http adapter, the real
 * inference service with IS-Net, and the real ledger (PGlite; the ledger-sensitive cases on
 * PostgreSQL too).
 */
import type http from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { DB_KINDS } from '@bgr/db/test/support';
import { balance, startSubscription, grant } from '@bgr/db/queries/ledger';
import { countImprovements, listImprovements } from '@bgr/db/queries/improvement';
import { createApiKey } from '@bgr/db/queries/api-keys';
import { addTeamMember, createTeam, getTeamBalance } from '@bgr/db/queries/teams';
import { existsSync, readdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { usageEvents } from '@bgr/db/schema';
import path from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '../../src/server/removebg/errors';
import { BODY_LIMITS } from '../../src/server/body-limit';
import { type CountingServer, startCountingServer } from '../support/counting-server';
import { startInferenceService as startInference, type InferenceService } from '../support/inference-service';
import { startApiServer, type ApiServer } from './support/server';
import { createWorld, makePhoto, type World } from './support/world';

let inference: InferenceService;
let photo: Buffer;
let photoPng: Buffer;

/** A loopback HTTP server for image URLs; counts connections so SSRF refusals can be proven. */
type ImageHost = CountingServer;

function startImageHost(routes: Record<string, (res: http.ServerResponse) => void>): Promise<ImageHost> {
  return startCountingServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
}

function serveBytes(bytes: Buffer, type = 'image/jpeg') {
  return (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': type, 'content-length': bytes.length });
    res.end(bytes);
  };
}

interface CallOptions {
  key?: string | null;
  headers?: Record<string, string>;
  method?: string;
}

function api(server: ApiServer) {
  const call = (route: string, body: BodyInit | undefined, opts: CallOptions = {}, contentType?: string) =>
    fetch(`${server.baseUrl}${route}`, {
      method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(opts.key ? { 'X-Api-Key': opts.key } : {}),
        ...(contentType ? { 'content-type': contentType } : {}),
        ...opts.headers,
      },
      body,
    });
  return {
    json: (route: string, params: Record<string, unknown>, opts?: CallOptions) =>
      call(route, JSON.stringify(params), opts, 'application/json'),
    form: (route: string, params: Record<string, string>, opts?: CallOptions) =>
      call(route, new URLSearchParams(params).toString(), opts, 'application/x-www-form-urlencoded'),
    multipart: (route: string, form: FormData, opts?: CallOptions) => call(route, form, opts),
    get: (route: string, opts?: CallOptions) => call(route, undefined, opts),
    raw: call,
  };
}

function fileForm(bytes: Uint8Array, fields: Record<string, string> = {}, name = 'image_file'): FormData {
  const form = new FormData();
  form.append(name, new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

async function expectError(
  res: Response,
  status: number,
  code: string,
): Promise<{ title: string; code: string; detail?: string }> {
  const text = await res.text();
  expect(
    { status: res.status, code: (JSON.parse(text) as { errors?: Array<{ code: string }> }).errors?.[0]?.code },
    text,
  ).toEqual({ status, code });
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const body = JSON.parse(text) as { errors: Array<{ title: string; code: string; detail?: string }> };
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors;
  expect(Object.keys(error!).every((k) => ['title', 'code', 'detail'].includes(k))).toBe(true);
  expect(error!.title).toBeTruthy();
  return error!;
}

async function unitsLeft(world: World, userId: string): Promise<number> {
  const b = await balance(world.db, { userId });
  return b.totalUnits;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const name = Buffer.from(type);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([name, data])) >>> 0);
  return Buffer.concat([length, name, data, crc]);
}

/** A tiny PNG whose header claims width × height pixels (a "PNG bomb": the probe must refuse it unread). */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  inference = await startInference();
  photo = await makePhoto(96, 72, 'jpeg');
  photoPng = await makePhoto(80, 60, 'png');
});

afterAll(async () => {
  await inference?.stop();
});

describe('POST /v1.0/removebg (PGlite)', () => {
  let world: World;
  let server: ApiServer;
  let client: ReturnType<typeof api>;
  let images: ImageHost;
  let account: { userId: string; key: string };
  const previousAllow = process.env.FETCH_ALLOW_HOSTS;

  beforeAll(async () => {
    world = await createWorld('pglite', inference);
    server = await startApiServer(world.deps);
    client = api(server);
    account = await world.newAccount(50);
    images = await startImageHost({
      '/photo.jpg': serveBytes(photo),
      '/bg.png': serveBytes(photoPng, 'image/png'),
    });
    // The test's own image host is reached as "localhost"; 127.0.0.1 itself stays refused.
    process.env.FETCH_ALLOW_HOSTS = 'localhost';
  });

  afterAll(async () => {
    process.env.FETCH_ALLOW_HOSTS = previousAllow;
    await images?.close();
    await server?.close();
    await world?.close();
  });

  it('takes a multipart upload and answers the image with remove.bg headers', async () => {
    const before = await unitsLeft(world, account.userId);
    const res = await client.multipart('/removebg', fileForm(photo), { key: account.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-credits-charged')).toBe('0.25');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const bytes = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.hasAlpha).toBe(true);
    expect(res.headers.get('x-width')).toBe(String(meta.width));
    expect(res.headers.get('x-height')).toBe(String(meta.height));
    for (const h of ['x-foreground-top', 'x-foreground-left', 'x-foreground-width', 'x-foreground-height']) {
      expect(res.headers.get(h)).toMatch(/^\d+$/);
    }
    expect(Number(res.headers.get('x-foreground-width'))).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-limit')).toBe('500');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(500);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(await unitsLeft(world, account.userId)).toBe(before - 1);
  });

  it('takes url-encoded base64 with a data: prefix and answers JSON on Accept: application/json', async () => {
    const res = await client.form(
      '/removebg',
      {
        image_file_b64: `data:image/jpeg;base64,${photo.toString('base64')}`,
        size: 'small',
        unknown_param: 'ignored',
        roi: '',
      },
      { key: account.key, headers: { Accept: 'application/json' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { data: Record<string, unknown> };
    expect(Object.keys(body.data).sort()).toEqual([
      'foreground_height',
      'foreground_left',
      'foreground_top',
      'foreground_width',
      'result_b64',
    ]);
    const png = Buffer.from(body.data.result_b64 as string, 'base64');
    expect((await sharp(png).metadata()).format).toBe('png');
    expect(body.data.foreground_width).toBe(Number(res.headers.get('x-foreground-width')));
  });

  it('takes JSON with base64 and full size at 1 credit, with booleans as JSON booleans', async () => {
    const before = await unitsLeft(world, account.userId);
    const res = await client.json(
      '/removebg',
      {
        image_file_b64: photo.toString('base64'),
        size: 'full',
        format: 'jpg',
        bg_color: '81d4fa',
        crop: false,
        semitransparency: true,
      },
      { key: account.key },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-credits-charged')).toBe('1');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([96, 72]);
    expect(await unitsLeft(world, account.userId)).toBe(before - 4);
  });

  it('draws the shadow asked for at the usual price: a transparent result gains dark pixels of partial alpha', async () => {
    const count = async (fields: Record<string, string>) => {
      const res = await client.multipart('/removebg', fileForm(photo, { format: 'png', ...fields }), {
        key: account.key,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-credits-charged')).toBe('0.25');
      const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
        .raw()
        .toBuffer({ resolveWithObject: true });
      let darkPartial = 0;
      for (let i = 0; i < info.width * info.height; i++) {
        const o = i * info.channels;
        const a = data[o + 3]!;
        if (a > 0 && a < 255 && data[o]! < 40 && data[o + 1]! < 40 && data[o + 2]! < 40) darkPartial++;
      }
      return { darkPartial, size: [info.width, info.height] };
    };
    const plain = await count({});
    const shadow = await count({ shadow_type: 'drop', shadow_opacity: '90' });
    expect(shadow.size).toEqual(plain.size);
    expect(shadow.darkPartial).toBeGreaterThan(plain.darkPartial + 20);
    expect((await count({ add_shadow: 'true' })).darkPartial).toBeGreaterThan(plain.darkPartial + 20);
  });

  it('prices size=auto by the output produced', async () => {
    const res = await client.multipart('/removebg', fileForm(photo, { size: 'auto' }), { key: account.key });
    expect(res.status).toBe(200);
    // 96×72 is well under 0.25 MP, so auto is charged as a preview.
    expect(res.headers.get('x-credits-charged')).toBe('0.25');
  });

  it('fetches image_url and bg_image_url from an allow-listed host', async () => {
    const res = await client.json(
      '/removebg',
      {
        image_url: `http://localhost:${images.port}/photo.jpg`,
        bg_image_url: `http://localhost:${images.port}/bg.png`,
        format: 'png',
      },
      { key: account.key },
    );
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).stats();
    // With a background image every pixel is opaque.
    expect(meta.isOpaque).toBe(true);
  });

  it('answers the ZIP layout: color.jpg plus alpha.png of the result size', async () => {
    const res = await client.multipart('/removebg', fileForm(photo, { format: 'zip', size: 'full' }), {
      key: account.key,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['alpha.png', 'color.jpg']);
    const color = await sharp(Buffer.from(files['color.jpg']!)).metadata();
    const alpha = await sharp(Buffer.from(files['alpha.png']!)).metadata();
    expect(color.format).toBe('jpeg');
    expect(alpha.format).toBe('png');
    expect([color.width, color.height]).toEqual([
      Number(res.headers.get('x-width')),
      Number(res.headers.get('x-height')),
    ]);
    expect([alpha.width, alpha.height]).toEqual([color.width, color.height]);
  });

  it('authenticates by X-Api-Key in any case and refuses missing or wrong keys with 403', async () => {
    const ok = await client.multipart('/removebg', fileForm(photo), { headers: { 'x-API-KEY': account.key } });
    expect(ok.status).toBe(200);
    for (const key of [null, 'bgr_0000000000000000000000000000000000000000', 'nonsense']) {
      const res = await client.multipart('/removebg', fileForm(photo), { key });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/json');
      // Byte for byte what remove.bg answers.
      expect(await res.text()).toBe('{"errors":[{"title":"API Key invalid","code":"auth_failed"}]}');
    }
  });

  it('answers every input error with its remove.bg code and charges nothing', async () => {
    const before = await unitsLeft(world, account.userId);
    const key = { key: account.key };
    const truncated = photo.subarray(0, Math.floor(photo.length / 2));
    const cases: Array<[string, () => Promise<Response>, number, string]> = [
      [
        'empty file part',
        () =>
          client.multipart(
            '/removebg',
            (() => {
              const f = new FormData();
              f.append('image_file', new Blob([]), '');
              f.append('size', 'preview');
              return f;
            })(),
            key,
          ),
        400,
        'missing_source',
      ],
      ['no source', () => client.json('/removebg', { size: 'preview' }, key), 400, 'missing_source'],
      [
        'two sources',
        () => client.multipart('/removebg', fileForm(photo, { image_url: 'https://example.com/a.jpg' }), key),
        400,
        'multiple_sources',
      ],
      [
        '23 MB file',
        () => client.multipart('/removebg', fileForm(Buffer.alloc(23 * 1024 * 1024, 1)), key),
        400,
        'file_too_large',
      ],
      [
        '60 MP header',
        () => client.multipart('/removebg', fileForm(pngClaiming(10_000, 6_000)), key),
        400,
        'resolution_too_high',
      ],
      [
        'text file',
        () => client.multipart('/removebg', fileForm(Buffer.from('hello, this is not an image at all')), key),
        400,
        'invalid_file_type',
      ],
      [
        'truncated jpeg',
        () => client.multipart('/removebg', fileForm(truncated, { size: 'full' }), key),
        400,
        'failed_to_read_image',
      ],
      ['bad base64', () => client.json('/removebg', { image_file_b64: '***' }, key), 400, 'failed_to_read_image'],
      [
        'unresolvable host',
        () => client.json('/removebg', { image_url: 'http://no-such-host.invalid/a.jpg' }, key),
        400,
        'failed_image_download',
      ],
      [
        '404 image',
        () => client.json('/removebg', { image_url: `http://localhost:${images.port}/missing.jpg` }, key),
        400,
        'failed_image_download',
      ],
      [
        'ftp url',
        () => client.json('/removebg', { image_url: 'ftp://example.com/a.jpg' }, key),
        400,
        'invalid_image_url',
      ],
      ['size', () => client.multipart('/removebg', fileForm(photo, { size: 'gigantic' }), key), 400, 'invalid_size'],
      ['format', () => client.multipart('/removebg', fileForm(photo, { format: 'gif' }), key), 400, 'invalid_format'],
      [
        'channels',
        () => client.multipart('/removebg', fileForm(photo, { channels: 'rgb' }), key),
        400,
        'invalid_channels',
      ],
      [
        'roi syntax',
        () => client.multipart('/removebg', fileForm(photo, { roi: 'left top right' }), key),
        400,
        'invalid_roi',
      ],
      [
        'roi bounds',
        () => client.multipart('/removebg', fileForm(photo, { roi: '0px 0px 500px 50px' }), key),
        400,
        'roi_exceeds_bounds',
      ],
      [
        'roi empty',
        () => client.multipart('/removebg', fileForm(photo, { roi: '10px 10px 10px 40px' }), key),
        400,
        'roi_region_empty',
      ],
      [
        'crop margin',
        () => client.multipart('/removebg', fileForm(photo, { crop: 'true', crop_margin: '90%' }), key),
        400,
        'invalid_crop_margin',
      ],
      ['scale', () => client.multipart('/removebg', fileForm(photo, { scale: '5%' }), key), 400, 'invalid_scale'],
      [
        'position',
        () => client.multipart('/removebg', fileForm(photo, { position: '150%' }), key),
        400,
        'invalid_position',
      ],
      [
        'unknown colour name',
        () => client.multipart('/removebg', fileForm(photo, { bg_color: 'notacolour' }), key),
        400,
        'invalid_bg_color',
      ],
      [
        'malformed colour',
        () => client.multipart('/removebg', fileForm(photo, { bg_color: '#12345' }), key),
        400,
        'invalid_bg_color',
      ],
      [
        'two backgrounds',
        () =>
          client.multipart(
            '/removebg',
            fileForm(photo, { bg_color: 'red', bg_image_url: `http://localhost:${images.port}/bg.png` }),
            key,
          ),
        400,
        'multiple_bg_sources',
      ],
      [
        'bg 404',
        () =>
          client.multipart(
            '/removebg',
            fileForm(photo, { bg_image_url: `http://localhost:${images.port}/nope.png` }),
            key,
          ),
        400,
        'failed_bg_download',
      ],
      [
        'bg url',
        () => client.multipart('/removebg', fileForm(photo, { bg_image_url: 'not a url' }), key),
        400,
        'invalid_bg_image_url',
      ],
      [
        'bad boolean',
        () => client.multipart('/removebg', fileForm(photo, { crop: 'perhaps' }), key),
        400,
        'invalid_options',
      ],
      [
        'shadow type',
        () => client.multipart('/removebg', fileForm(photo, { shadow_type: 'long' }), key),
        400,
        'invalid_shadow_type',
      ],
      [
        'shadow opacity',
        () => client.json('/removebg', { image_file_b64: photo.toString('base64'), shadow_opacity: 150 }, key),
        400,
        'invalid_shadow_opacity',
      ],
    ];
    for (const [name, run, status, code] of cases) {
      const error = await expectError(await run(), status, code);
      expect(error.detail, name).toBeTruthy();
      expect(error.detail, name).not.toMatch(/\n\s+at /);
    }
    expect(await unitsLeft(world, account.userId)).toBe(before);
    const held = await balance(world.db, { userId: account.userId });
    expect(held.heldUnits).toBe(0);
  });

  it('follows remove.bg’s output rules: format=auto, channels=alpha, bg_image_file, unitless roi zeros', async () => {
    const key = { key: account.key };
    // format=auto: PNG while the result has transparency, JPEG once a background fills it.
    const transparent = await client.multipart('/removebg', fileForm(photo, { format: 'auto' }), key);
    expect(transparent.headers.get('content-type')).toBe('image/png');
    const colored = await client.multipart('/removebg', fileForm(photo, { format: 'auto', bg_color: '81d4fa' }), key);
    expect(colored.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await colored.arrayBuffer())).metadata()).format).toBe('jpeg');

    // channels=alpha: the mask alone, one grey channel.
    const alpha = await client.multipart('/removebg', fileForm(photo, { channels: 'alpha', format: 'png' }), key);
    expect(alpha.status).toBe(200);
    const alphaMeta = await sharp(Buffer.from(await alpha.arrayBuffer())).metadata();
    expect([alphaMeta.format, alphaMeta.channels, alphaMeta.hasAlpha]).toEqual(['png', 1, false]);

    // bg_image_file as a second multipart file: composited, so auto gives an opaque JPEG.
    const form = fileForm(photo, { format: 'auto' });
    form.append('bg_image_file', new Blob([new Uint8Array(photoPng)], { type: 'image/png' }), 'bg.png');
    const withBg = await client.multipart('/removebg', form, key);
    expect(withBg.status).toBe(200);
    expect(withBg.headers.get('x-credits-charged')).toBe('0.25');
    const bgMeta = await sharp(Buffer.from(await withBg.arrayBuffer())).metadata();
    expect([bgMeta.format, bgMeta.hasAlpha]).toEqual(['jpeg', false]);

    // roi with unitless zeros, as remove.bg's own examples write it.
    const roi = await client.multipart('/removebg', fileForm(photo, { roi: '0 0 100% 100%' }), key);
    expect(roi.status).toBe(200);
    const roiPx = await client.json(
      '/removebg',
      { image_file_b64: photo.toString('base64'), roi: '0 0 48px 72px' },
      key,
    );
    expect(roiPx.status).toBe(200);
  });

  it('sends X-RateLimit headers on authenticated errors too', async () => {
    const poor = await world.newAccount(0);
    for (const [i, res] of [
      await client.json('/removebg', { size: 'preview' }, { key: poor.key }),
      await client.multipart('/removebg', fileForm(photo), { key: poor.key }),
      await client.multipart('/removebg', fileForm(photo, { size: 'giant' }), { key: poor.key }),
    ].entries()) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      // Each refused call counts one megapixel-unit.
      expect([res.headers.get('x-ratelimit-limit'), res.headers.get('x-ratelimit-remaining')]).toEqual([
        '500',
        String(499 - i),
      ]);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
      expect(res.headers.get('x-credits-charged')).toBeNull();
    }
  });

  it('refuses bodies over the upload limit with file_too_large', async () => {
    const huge = Buffer.alloc(BODY_LIMITS.removebg + 1024, 'A');
    const res = await client.raw('/removebg', huge, { key: account.key }, 'application/json');
    await expectError(res, 413, 'file_too_large');
  });

  it('answers 402 at once when credits are short, charging nothing', async () => {
    const poor = await world.newAccount(0);
    await expectError(
      await client.multipart('/removebg', fileForm(photo), { key: poor.key }),
      402,
      'insufficient_credits',
    );
    await grant(world.db, { userId: poor.userId, units: 1, kind: 'promo' });
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: poor.key }),
      402,
      'insufficient_credits',
    );
    const preview = await client.multipart('/removebg', fileForm(photo, { size: 'preview' }), { key: poor.key });
    expect(preview.status).toBe(200);
    expect(await unitsLeft(world, poor.userId)).toBe(0);
  });

  it('never contacts a loopback listener that is not allow-listed (image_url, bg_image_url, redirects)', async () => {
    const secret = await startImageHost({ '/secret.jpg': serveBytes(photo) });
    const redirector = await startImageHost({
      '/go': (res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${secret.port}/secret.jpg` });
        res.end();
      },
    });
    try {
      const direct = await expectError(
        await client.json(
          '/removebg',
          { image_url: `http://127.0.0.1:${secret.port}/secret.jpg` },
          { key: account.key },
        ),
        400,
        'failed_image_download',
      );
      expect(direct.detail).toMatch(/refused for safety: it is a loopback address/);
      const mapped = await expectError(
        await client.json(
          '/removebg',
          { image_url: `http://[::ffff:127.0.0.1]:${secret.port}/secret.jpg` },
          { key: account.key },
        ),
        400,
        'failed_image_download',
      );
      expect(mapped.detail).toMatch(/refused for safety/);
      const bg = await expectError(
        await client.multipart(
          '/removebg',
          fileForm(photo, { bg_image_url: `http://127.0.0.1:${secret.port}/secret.jpg` }),
          { key: account.key },
        ),
        400,
        'failed_bg_download',
      );
      expect(bg.detail).toMatch(/refused for safety/);
      const redirected = await expectError(
        await client.json('/removebg', { image_url: `http://localhost:${redirector.port}/go` }, { key: account.key }),
        400,
        'failed_image_download',
      );
      expect(redirected.detail).toMatch(/127\.0\.0\.1.*refused for safety/);
      expect(redirector.connections()).toBe(1);
      expect(secret.connections()).toBe(0);
    } finally {
      await secret.close();
      await redirector.close();
    }
  });

  it('answers CORS preflights and refuses other methods in the error shape', async () => {
    const pre = await client.raw('/removebg', undefined, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-api-key, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('x-api-key, content-type');
    await expectError(await client.get('/removebg', { key: account.key }), 405, 'method_not_allowed');
  });

  it('serves an OpenAPI 3.1 document listing the codes the API answers', async () => {
    const res = await client.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: { Error: { properties: { errors: { items: { properties: { code: { enum: string[] } } } } } } };
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/account', '/improve', '/removebg']);
    const codes = doc.components.schemas.Error.properties.errors.items.properties.code.enum;
    for (const code of [
      'auth_failed',
      'missing_source',
      'insufficient_credits',
      'rate_limit_exceeded',
      'roi_exceeds_bounds',
      'failed_bg_download',
    ]) {
      expect(codes).toContain(code);
    }
    expect(codes.sort()).toEqual(Object.keys(API_ERROR_CODES).sort());
    const params = (
      doc.paths['/removebg'] as {
        post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
      }
    ).post.requestBody.content;
    const fields = Object.values(params)[0]!.schema.properties;
    expect(fields.shadow_type).toMatchObject({ enum: ['none', 'drop', '3D', 'car', 'auto'], default: 'none' });
    expect(fields.shadow_opacity).toMatchObject({ minimum: 0, maximum: 100, default: 50 });
    expect(fields.semitransparency).toMatchObject({ default: true });
    expect(fields.add_shadow).toMatchObject({ default: false });
  });

  it('rate-limits per user (all keys together), a failed call counting one unit, and answers 429 with Retry-After', async () => {
    // Same database and inference, a budget of 3 megapixel-units a minute.
    const limitedServer = await startApiServer({ ...world.deps, rateLimitMpu: 3 });
    try {
      const who = await world.newAccount(10);
      const c = api(limitedServer);
      // A failed call (bad roi, rejected by the renderer) uses one unit of the budget: failing calls
      // cannot be sent without limit.
      const failed = await c.multipart('/removebg', fileForm(photo, { roi: '0px 0px 999px 10px' }), { key: who.key });
      await expectError(failed, 400, 'roi_exceeds_bounds');
      expect(failed.headers.get('x-ratelimit-remaining')).toBe('2');
      const first = await c.multipart('/removebg', fileForm(photo), { key: who.key });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      const second = await c.multipart('/removebg', fileForm(photo), { key: who.key });
      expect(second.status).toBe(200);
      expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
      const limited = await c.multipart('/removebg', fileForm(photo), { key: who.key });
      await expectError(limited, 429, 'rate_limit_exceeded');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      // A second key of the same account shares the budget: more keys do not raise it.
      const secondKey = await createApiKey(world.db, { userId: who.userId, name: 'second' });
      await expectError(
        await c.multipart('/removebg', fileForm(photo), { key: secondKey.key }),
        429,
        'rate_limit_exceeded',
      );
      // Another account has its own budget; the 429s charged nothing.
      const other = await world.newAccount(1);
      expect((await c.multipart('/removebg', fileForm(photo), { key: other.key })).status).toBe(200);
      expect(await unitsLeft(world, who.userId)).toBe(40 - 2);
    } finally {
      await limitedServer.close();
    }
  });
});

describe.each(DB_KINDS)('credits on %s', (kind) => {
  let world: World;
  let server: ApiServer;
  let client: ReturnType<typeof api>;
  const previousAllow = process.env.FETCH_ALLOW_HOSTS;

  beforeAll(async () => {
    world = await createWorld(kind, inference);
    server = await startApiServer(world.deps);
    client = api(server);
    process.env.FETCH_ALLOW_HOSTS = 'localhost';
  });

  afterAll(async () => {
    process.env.FETCH_ALLOW_HOSTS = previousAllow;
    await server?.close();
    await world?.close();
  });

  const usageOf = async (userId: string) =>
    (await world.db.select().from(usageEvents).where(eq(usageEvents.userId, userId)).orderBy(usageEvents.id)).map(
      (u) => ({ kind: u.kind, units: u.units, ok: u.ok, errorCode: u.errorCode }),
    );

  it('the replay attack: a preview under key x, then key x with another image at full size → 422, nothing rendered or charged', async () => {
    const who = await world.newAccount(5);
    const headers = { 'Idempotency-Key': 'x' };
    const preview = await client.multipart('/removebg', fileForm(photo, { size: 'preview' }), {
      key: who.key,
      headers,
    });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('x-credits-charged')).toBe('0.25');
    const big = await makePhoto(600, 400, 'jpeg');
    const attack = await client.multipart('/removebg', fileForm(big, { size: 'full' }), { key: who.key, headers });
    const error = await expectError(attack, 422, 'idempotency_key_reused');
    expect(error.detail).toMatch(/different request/);
    expect(attack.headers.get('x-credits-charged')).toBeNull();
    // The same image with another parameter is another request too.
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers }),
      422,
      'idempotency_key_reused',
    );
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'preview', bg_color: 'red' }), {
        key: who.key,
        headers,
      }),
      422,
      'idempotency_key_reused',
    );
    expect(await unitsLeft(world, who.userId)).toBe(20 - 1);
    expect((await usageOf(who.userId)).map((u) => [u.ok, u.units, u.errorCode])).toEqual([
      [true, 1, null],
      [false, 0, 'idempotency_key_reused'],
      [false, 0, 'idempotency_key_reused'],
      [false, 0, 'idempotency_key_reused'],
    ]);
  });

  it('a replay needs no credits and is a usage event of 0 units; image_url requests are bound by their URL', async () => {
    const images = await startImageHost({ '/a.jpg': serveBytes(photo), '/b.jpg': serveBytes(photo) });
    try {
      const who = await world.newAccount(1);
      const headers = { 'Idempotency-Key': 'by-url' };
      const url = `http://localhost:${images.port}/a.jpg`;
      const first = await client.json('/removebg', { image_url: url, size: 'full' }, { key: who.key, headers });
      expect(first.status).toBe(200);
      const firstBytes = Buffer.from(await first.arrayBuffer());
      expect(await unitsLeft(world, who.userId)).toBe(0);
      // Balance 0: the replay still answers (the idempotency lookup comes before the 402 check).
      const replay = await client.json('/removebg', { image_url: url, size: 'full' }, { key: who.key, headers });
      expect([
        replay.status,
        replay.headers.get('x-credits-charged'),
        replay.headers.get('idempotent-replayed'),
      ]).toEqual([200, '0', 'true']);
      expect(Buffer.from(await replay.arrayBuffer()).equals(firstBytes)).toBe(true);
      // Another URL under the same key: refused, not downloaded.
      const before = images.connections();
      await expectError(
        await client.json(
          '/removebg',
          { image_url: `http://localhost:${images.port}/b.jpg`, size: 'full' },
          { key: who.key, headers },
        ),
        422,
        'idempotency_key_reused',
      );
      expect(images.connections()).toBe(before);
      expect((await usageOf(who.userId)).map((u) => [u.ok, u.units])).toEqual([
        [true, 4],
        [true, 0],
        [false, 0],
      ]);
    } finally {
      await images.close();
    }
  });

  it('answers 409 while the first call with the key runs, 422 for another request meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const images = await startImageHost({
      '/slow.jpg': (res) => {
        void gate.then(() => serveBytes(photo)(res));
      },
    });
    try {
      // Exactly one full-size call's worth: the running call holds all of it.
      const who = await world.newAccount(1);
      const headers = { 'Idempotency-Key': 'slow' };
      const url = `http://localhost:${images.port}/slow.jpg`;
      const running = client.json('/removebg', { image_url: url, size: 'full' }, { key: who.key, headers });
      for (let i = 0; i < 500 && images.connections() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(images.connections()).toBe(1);
      await expectError(
        await client.json('/removebg', { image_url: url, size: 'full' }, { key: who.key, headers }),
        409,
        'idempotency_conflict',
      );
      await expectError(
        await client.json('/removebg', { image_url: url, size: 'preview' }, { key: who.key, headers }),
        422,
        'idempotency_key_reused',
      );
      release();
      const done = await running;
      expect([done.status, done.headers.get('x-credits-charged')]).toEqual([200, '1']);
      expect(await unitsLeft(world, who.userId)).toBe(0);
    } finally {
      release();
      await images.close();
    }
  });

  it('a call refused for credits stores nothing: the same key is charged once it succeeds', async () => {
    const who = await world.newAccount(0);
    const headers = { 'Idempotency-Key': 'after-top-up' };
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers }),
      402,
      'insufficient_credits',
    );
    await grant(world.db, { userId: who.userId, units: 1, kind: 'promo' });
    // 1 unit: enough for the cheapest call, not for full size (reserved before anything is read).
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers }),
      402,
      'insufficient_credits',
    );
    await grant(world.db, { userId: who.userId, units: 3, kind: 'promo' });
    const paid = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers });
    expect([paid.status, paid.headers.get('x-credits-charged'), paid.headers.get('idempotent-replayed')]).toEqual([
      200,
      '1',
      null,
    ]);
    expect(await unitsLeft(world, who.userId)).toBe(0);
  });

  it("refuses a 0-credit key's call with 402 before downloading image_url or bg_image_url", async () => {
    const images = await startImageHost({
      '/photo.jpg': serveBytes(photo),
      '/bg.png': serveBytes(photoPng, 'image/png'),
    });
    try {
      const poor = await world.newAccount(0);
      for (let i = 0; i < 5; i++) {
        await expectError(
          await client.json(
            '/removebg',
            {
              image_url: `http://localhost:${images.port}/photo.jpg`,
              bg_image_url: `http://localhost:${images.port}/bg.png`,
            },
            { key: poor.key },
          ),
          402,
          'insufficient_credits',
        );
      }
      // A preview-priced size with 1 unit short of full: refused before the download too.
      await grant(world.db, { userId: poor.userId, units: 1, kind: 'promo' });
      await expectError(
        await client.json(
          '/removebg',
          { image_url: `http://localhost:${images.port}/photo.jpg`, size: 'full' },
          { key: poor.key },
        ),
        402,
        'insufficient_credits',
      );
      expect(images.connections()).toBe(0);
      // With credits the same host is reached: the listener was reachable all along.
      const ok = await client.json(
        '/removebg',
        { image_url: `http://localhost:${images.port}/photo.jpg` },
        { key: poor.key },
      );
      expect(ok.status).toBe(200);
      expect(images.connections()).toBeGreaterThan(0);
    } finally {
      await images.close();
    }
  });

  it('charges an Idempotency-Key once and answers X-Credits-Charged: 0 on the replay', async () => {
    const who = await world.newAccount(5);
    const headers = { 'Idempotency-Key': 'order-42' };
    const first = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-credits-charged')).toBe('1');
    const firstBytes = Buffer.from(await first.arrayBuffer());
    const replay = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('x-credits-charged')).toBe('0');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(Buffer.from(await replay.arrayBuffer()).equals(firstBytes)).toBe(true);
    expect(await unitsLeft(world, who.userId)).toBe(20 - 4);
    // Another key is another call.
    const other = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), {
      key: who.key,
      headers: { 'Idempotency-Key': 'order-43' },
    });
    expect(other.headers.get('x-credits-charged')).toBe('1');
    expect(await unitsLeft(world, who.userId)).toBe(20 - 8);
    // The same key on another account is that account's own call.
    const stranger = await world.newAccount(1);
    const theirs = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), {
      key: stranger.key,
      headers,
    });
    expect(theirs.headers.get('x-credits-charged')).toBe('1');
  });

  it('lets a failed call be retried under the same Idempotency-Key', async () => {
    const who = await world.newAccount(1);
    const headers = { 'Idempotency-Key': 'retry-me' };
    await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full', scale: '1%' }), { key: who.key, headers }),
      400,
      'invalid_scale',
    );
    expect(await unitsLeft(world, who.userId)).toBe(4);
    const retried = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('x-credits-charged')).toBe('1');
    const replay = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key, headers });
    expect(replay.headers.get('x-credits-charged')).toBe('0');
    expect(await unitsLeft(world, who.userId)).toBe(0);
  });

  it('gives exactly 10 results and 30 × 402 for 40 concurrent full-size calls against 10 credits', async () => {
    const who = await world.newAccount(10);
    const results = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: who.key });
        const body = Buffer.from(await res.arrayBuffer());
        return { status: res.status, charged: res.headers.get('x-credits-charged'), body };
      }),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 402);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(30);
    expect(ok.every((r) => r.charged === '1')).toBe(true);
    expect(
      refused.every(
        (r) =>
          (JSON.parse(r.body.toString()) as { errors: Array<{ code: string }> }).errors[0]!.code ===
          'insufficient_credits',
      ),
    ).toBe(true);
    const b = await balance(world.db, { userId: who.userId });
    expect(b.totalUnits).toBe(0);
    expect(b.heldUnits).toBe(0);
  });

  it('stores /improve submissions and limits them per account and UTC day, counted in the database', async () => {
    // Two servers over the same database, each with its own in-memory state (two replicas, or
    // one server before and after a restart), a limit of 2 a day and a clock the test moves.
    let now = new Date('2026-06-01T23:59:30Z');
    const clock = () => now;
    const replicaA = await startApiServer({ ...world.deps, improvePerDay: 2, now: clock });
    const replicaB = await startApiServer({ ...world.deps, improvePerDay: 2, now: clock });
    try {
      const who = await world.newAccount(0);
      const a = api(replicaA);
      const b = api(replicaB);
      // A refused image stores nothing and does not count.
      await expectError(
        await a.json('/improve', { image_file_b64: 'aGVsbG8=' }, { key: who.key }),
        400,
        'invalid_file_type',
      );
      const first = await a.multipart('/improve', fileForm(photo, { tag: 'hair', image_filename: 'portrait.jpg' }), {
        key: who.key,
      });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('500');
      const { id } = (await first.json()) as { id: string };
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const second = await b.json('/improve', { image_file_b64: photo.toString('base64') }, { key: who.key });
      expect(second.status).toBe(200);
      expect(await countImprovements(world.db, { userId: who.userId, since: new Date('2026-06-01T00:00:00Z') })).toBe(
        2,
      );

      // Each replica sees the other's submissions: both refuse the third, until midnight UTC.
      for (const replica of [a, b]) {
        const refused = await replica.json('/improve', { image_file_b64: photo.toString('base64') }, { key: who.key });
        expect(refused.headers.get('retry-after')).toBe('30');
        expect(refused.headers.get('x-ratelimit-remaining')).toBe('500');
        await expectError(refused, 429, 'improve_limit_exceeded');
      }
      // The limit is per account: another key of the same account is refused too.
      const otherKey = await createApiKey(world.db, { userId: who.userId, name: 'second' });
      await expectError(
        await a.json('/improve', { image_file_b64: photo.toString('base64') }, { key: otherKey.key }),
        429,
        'improve_limit_exceeded',
      );

      await expectError(await a.json('/improve', { image_file_b64: photo.toString('base64') }), 403, 'auth_failed');

      // A new UTC day starts a new count.
      now = new Date('2026-06-02T00:00:05Z');
      expect((await b.json('/improve', { image_file_b64: photo.toString('base64') }, { key: who.key })).status).toBe(
        200,
      );
      expect(await countImprovements(world.db, { userId: who.userId, since: new Date('2026-06-02T00:00:00Z') })).toBe(
        1,
      );

      const stored = (await listImprovements(world.db, { limit: 50 })).filter((s) => s.userId === who.userId);
      const row = stored.find((s) => s.id === id);
      expect(row).toMatchObject({
        userId: who.userId,
        apiKeyId: who.keyId,
        source: 'api',
        filename: 'portrait.jpg',
        tag: 'hair',
      });
      expect(existsSync(path.join(world.storageDir, row!.storageKey))).toBe(true);
      expect(stored).toHaveLength(3);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
  });

  it('lets exactly the limit through when /improve submissions race on two replicas', async () => {
    const replicas = [
      await startApiServer({ ...world.deps, improvePerDay: 2 }),
      await startApiServer({ ...world.deps, improvePerDay: 2 }),
    ];
    try {
      const who = await world.newAccount(0);
      const statuses = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const res = await api(replicas[i % 2]!).json(
            '/improve',
            { image_file_b64: photo.toString('base64') },
            { key: who.key },
          );
          await res.arrayBuffer();
          return res.status;
        }),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
      const rows = (await listImprovements(world.db, { limit: 100 })).filter((r) => r.userId === who.userId);
      expect(rows).toHaveLength(2);
      // The refused ones left no stored image behind.
      expect(readdirSync(path.join(world.storageDir, 'improvements', who.userId)).sort()).toEqual(
        rows.map((r) => path.basename(r.storageKey)).sort(),
      );
    } finally {
      for (const r of replicas) await r.close();
    }
  });

  it('reports the account in exactly remove.bg’s shape', async () => {
    const who = await world.newAccount(0);
    await startSubscription(world.db, { userId: who.userId, monthlyUnits: 40 });
    await grant(world.db, { userId: who.userId, units: 6, kind: 'payg' });
    await grant(world.db, { userId: who.userId, units: 3, kind: 'promo' });
    const res = await client.get('/account', { key: who.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect([res.headers.get('x-ratelimit-limit'), res.headers.get('x-ratelimit-remaining')]).toEqual(['500', '500']);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toStrictEqual({
      data: {
        attributes: {
          credits: { total: 12.25, subscription: 10, payg: 1.5, enterprise: 0.75 },
          api: { free_calls: 0, sizes: 'all' },
        },
      },
    });
    await expectError(await client.get('/account'), 403, 'auth_failed');
  });

  it('a team member: the account counts the team credits open to them as enterprise; a 402 says what ran out', async () => {
    const capped = await world.newAccount(0);
    await grant(world.db, { userId: capped.userId, units: 1, kind: 'payg' });
    const team = await createTeam(world.db, { name: `API team ${kind}` });
    await grant(world.db, { teamId: team.id, units: 40, kind: 'promo' });
    await addTeamMember(world.db, { teamId: team.id, userId: capped.userId, monthlyCapUnits: 4 });
    const account = async (key: string) =>
      ((await (await client.get('/account', { key })).json()) as { data: { attributes: { credits: unknown } } }).data
        .attributes.credits;
    expect(await account(capped.key)).toStrictEqual({ total: 1.25, subscription: 0, payg: 0.25, enterprise: 1 });
    // Team first: the full call takes the member's whole monthly allowance and none of their own.
    const first = await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: capped.key });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-credits-charged')).toBe('1');
    expect(await account(capped.key)).toStrictEqual({ total: 0.25, subscription: 0, payg: 0.25, enterprise: 0 });
    const refused = await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: capped.key }),
      402,
      'insufficient_credits',
    );
    expect(refused.detail).toBe(
      'This call needs 1 credit; 0.25 credits available. Your monthly team allowance is used up, and your own credits do not cover the rest.',
    );

    // A member of a team whose pool is spent, with nothing of their own.
    const small = await createTeam(world.db, { name: `Small API team ${kind}` });
    await grant(world.db, { teamId: small.id, units: 4, kind: 'promo' });
    const member = await world.newAccount(0);
    await addTeamMember(world.db, { teamId: small.id, userId: member.userId });
    expect((await client.multipart('/removebg', fileForm(photo, { size: 'full' }), { key: member.key })).status).toBe(
      200,
    );
    const empty = await expectError(
      await client.multipart('/removebg', fileForm(photo, { size: 'preview' }), { key: member.key }),
      402,
      'insufficient_credits',
    );
    expect(empty.detail).toBe(
      "A call needs at least 0.25 credits; 0 credits available. Your team's credits have run out, and your own credits do not cover the rest.",
    );
    expect((await getTeamBalance(world.db, { teamId: small.id })).totalUnits).toBe(0);
    expect((await getTeamBalance(world.db, { teamId: team.id })).totalUnits).toBe(36);
  });
});
