// The render pipeline with the real IS-Net model and real sharp: every option, size and format on
// a synthetic subject (a shaded disc on a plain background). The model runs once per distinct
// image; everything else comes from the mask cache.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderOptions } from '@bgr/inference-client/options';
import type { Pipeline, RenderOutput } from '../src/pipeline/render.ts';
import { subjectImage } from './support/images.ts';
import { pixels, realPipeline } from './support/pipeline.ts';
import { readZip } from './support/zip.ts';
import { codeOf } from './support/render-error.ts';

let pipeline: Pipeline;
let image: Buffer; // 1600×1200, disc centred, radius 336 px
const W = 1600;
const H = 1200;
const R = 0.28 * 1200;

beforeAll(async () => {
  pipeline = await realPipeline();
  image = await subjectImage({ width: W, height: H, seed: 1 });
});

const render = (options: RenderOptions, bgImage?: Buffer, bytes = image) =>
  pipeline.render({ bytes, options, bgImage });

/** The disc's box in output pixels, with tolerance for a soft edge. */
function expectDiscBox(out: RenderOutput, cx: number, cy: number, r: number, tol = 0.06) {
  const f = out.foreground;
  const slack = Math.max(6, r * 2 * tol);
  expect(Math.abs(f.left - (cx - r))).toBeLessThan(slack);
  expect(Math.abs(f.top - (cy - r))).toBeLessThan(slack);
  expect(Math.abs(f.width - 2 * r)).toBeLessThan(2 * slack);
  expect(Math.abs(f.height - 2 * r)).toBeLessThan(2 * slack);
}

describe('mask cache and model runs', () => {
  it('runs the model once for a preview followed by the full render', async () => {
    const before = pipeline.model.runs;
    const preview = await render({ size: 'preview' });
    expect(pipeline.model.runs).toBe(before + 1);
    expect(preview.maskCached).toBe(false);
    const full = await render({ size: 'full' });
    expect(pipeline.model.runs).toBe(before + 1);
    expect(full.maskCached).toBe(true);
  });
});

describe('the cut-out', () => {
  it('keeps the subject and removes the background (png, rgba)', async () => {
    const out = await render({ size: 'full', format: 'png' });
    expect(out.format).toBe('png');
    expect(out.contentType).toBe('image/png');
    const { info, at } = await pixels(out.body);
    expect([info.width, info.height, info.channels]).toEqual([W, H, 4]);
    expect(at(W / 2, H / 2)[3]).toBeGreaterThan(240);
    expect(at(10, 10)[3]).toBeLessThan(10);
    expect(at(W - 10, H - 10)[3]).toBeLessThan(10);
    expectDiscBox(out, W / 2, H / 2, R);
    expect([out.inputWidth, out.inputHeight]).toEqual([W, H]);
  });
});

describe('size', () => {
  it.each([
    ['preview', 250_000],
    ['small', 250_000],
    ['regular', 250_000],
    ['medium', 1_500_000],
  ] as const)('%s → at most %d pixels, aspect kept', async (size, max) => {
    const out = await render({ size, format: 'jpg' });
    expect(out.width * out.height).toBeLessThanOrEqual(max);
    expect(out.width * out.height).toBeGreaterThan(max * 0.98);
    expect(out.width / out.height).toBeCloseTo(W / H, 2);
    const meta = await sharp(out.body).metadata();
    expect([meta.width, meta.height]).toEqual([out.width, out.height]);
    expectDiscBox(out, out.width / 2, out.height / 2, 0.28 * out.height);
  });

  it.each(['hd', 'full', '4k', '50MP', 'auto'] as const)(
    '%s keeps a 1.9 MP input at its own size (never upscales)',
    async (size) => {
      const out = await render({ size, format: 'jpg' });
      expect([out.width, out.height]).toEqual([W, H]);
    },
  );
});

describe('format and channels', () => {
  it('auto is png when there is transparency, jpg when the background is opaque', async () => {
    expect((await render({ format: 'auto' })).format).toBe('png');
    const onColour = await render({ format: 'auto', bgColor: 'ffffff' });
    expect(onColour.format).toBe('jpg');
    expect((await sharp(onColour.body).metadata()).format).toBe('jpeg');
  });

  it('jpg has no alpha and a white background', async () => {
    const out = await render({ format: 'jpg' });
    const { info, at } = await pixels(out.body);
    expect(info.channels).toBe(3);
    expect(at(5, 5).every((v) => v > 245)).toBe(true);
  });

  it('webp keeps alpha', async () => {
    const out = await render({ format: 'webp' });
    expect(out.contentType).toBe('image/webp');
    const { info, at } = await pixels(out.body);
    expect(info.channels).toBe(4);
    expect(at(5, 5)[3]).toBeLessThan(10);
    expect(at(W / 2, H / 2)[3]).toBeGreaterThan(240);
  });

  it('zip holds color.jpg then alpha.png (8-bit grey), stored', async () => {
    const out = await render({ format: 'zip' });
    expect(out.contentType).toBe('application/zip');
    const entries = readZip(out.body);
    expect(entries.map((e) => e.name)).toEqual(['color.jpg', 'alpha.png']);
    expect(entries.every((e) => e.method === 0)).toBe(true);
    const color = await sharp(entries[0]!.data).metadata();
    expect([color.format, color.width, color.height, color.channels]).toEqual(['jpeg', W, H, 3]);
    const alpha = await sharp(entries[1]!.data).metadata();
    expect([alpha.format, alpha.width, alpha.height, alpha.channels, alpha.depth, alpha.space]).toEqual([
      'png',
      W,
      H,
      1,
      'uchar',
      'b-w',
    ]);
    const a = await pixels(entries[1]!.data);
    expect(a.at(W / 2, H / 2)[0]).toBeGreaterThan(240);
    expect(a.at(5, 5)[0]).toBeLessThan(10);
  });

  it('channels=alpha is an 8-bit single-channel grey PNG of the output size', async () => {
    const out = await render({ channels: 'alpha', size: 'preview' });
    expect(out.format).toBe('png');
    const meta = await sharp(out.body).metadata();
    expect([meta.format, meta.channels, meta.depth, meta.space, meta.width, meta.height]).toEqual([
      'png',
      1,
      'uchar',
      'b-w',
      out.width,
      out.height,
    ]);
    const { at } = await pixels(out.body);
    expect(at(Math.floor(out.width / 2), Math.floor(out.height / 2))[0]).toBeGreaterThan(240);
    expect(at(2, 2)[0]).toBeLessThan(10);
  });
});

describe('roi, crop, scale, position', () => {
  it('roi: nothing outside the region is foreground', async () => {
    const out = await render({ roi: '0% 0% 50% 100%', format: 'png' });
    const { at } = await pixels(out.body);
    expect(at(W / 2 + 50, H / 2)[3]).toBe(0);
    expect(at(W / 2 - 50, H / 2)[3]).toBeGreaterThan(240);
    expect(out.foreground.left + out.foreground.width).toBeLessThanOrEqual(W / 2);
    const px = await render({ roi: '800px 0px 1600px 1200px', format: 'png' });
    expect(px.foreground.left).toBeGreaterThanOrEqual(800);
  });

  it('crop: the output is the subject box', async () => {
    const out = await render({ crop: true, format: 'png' });
    expect(out.foreground).toEqual({ left: 0, top: 0, width: out.width, height: out.height });
    expect(Math.abs(out.width - 2 * R)).toBeLessThan(30);
  });

  it('crop_margin adds px or % of the subject on each side', async () => {
    const tight = await render({ crop: true, format: 'png' });
    const px = await render({ crop: true, cropMargin: '30px', format: 'png' });
    expect([px.width, px.height]).toEqual([tight.width + 60, tight.height + 60]);
    expect([px.foreground.left, px.foreground.top]).toEqual([30, 30]);
    const pct = await render({ crop: true, cropMargin: '10% 20%', format: 'png' });
    expect(pct.width).toBe(tight.width + 2 * Math.round(0.2 * tight.width));
    expect(pct.height).toBe(tight.height + 2 * Math.round(0.1 * tight.height));
  });

  it('scale: the subject fills that share of the canvas, centred by default', async () => {
    const out = await render({ scale: '50%', format: 'png' });
    expect([out.width, out.height]).toEqual([W, H]);
    expect(Math.abs(out.foreground.height - H / 2)).toBeLessThanOrEqual(1);
    expect(Math.abs(out.foreground.left + out.foreground.width / 2 - W / 2)).toBeLessThanOrEqual(1);
    expect(Math.abs(out.foreground.top + out.foreground.height / 2 - H / 2)).toBeLessThanOrEqual(1);
  });

  it('position: places the subject in the free space', async () => {
    const corner = await render({ scale: '50%', position: '0% 0%', format: 'png' });
    expect([corner.foreground.left, corner.foreground.top]).toEqual([0, 0]);
    const { at } = await pixels(corner.body);
    expect(at(corner.foreground.width / 2, corner.foreground.height / 2)[3]).toBeGreaterThan(240);
    const br = await render({ position: '100% 100%', format: 'png' });
    const tight = await render({ crop: true, format: 'png' });
    expect([br.foreground.width, br.foreground.height]).toEqual([tight.width, tight.height]);
    expect(br.foreground.left + br.foreground.width).toBe(W);
    expect(br.foreground.top + br.foreground.height).toBe(H);
  });
});

describe('backgrounds', () => {
  it('bg_color: solid and semi-transparent', async () => {
    const green = await render({ bgColor: '00ff00' });
    const g = await pixels(green.body);
    expect(g.at(5, 5)[1]).toBeGreaterThan(240);
    expect(g.at(5, 5)[0]).toBeLessThan(15);
    const named = await render({ bgColor: 'red', format: 'png' });
    expect((await pixels(named.body)).at(5, 5).slice(0, 4)).toEqual([255, 0, 0, 255]);
    const half = await render({ bgColor: '0000ff80', format: 'png' });
    const h = await pixels(half.body);
    expect(h.at(5, 5)[3]).toBeGreaterThan(120);
    expect(h.at(5, 5)[3]).toBeLessThan(136);
    expect(h.at(W / 2, H / 2)[3]).toBeGreaterThan(240);
  });

  it('a background image is scaled to cover the canvas', async () => {
    const bg = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#0000ff' } })
      .png()
      .toBuffer();
    const out = await render({ format: 'auto' }, bg);
    expect(out.format).toBe('jpg');
    const { at } = await pixels(out.body);
    expect(at(5, 5)[2]).toBeGreaterThan(240);
    expect(at(W - 5, H - 5)[2]).toBeGreaterThan(240);
  });
});

describe('errors, before any model work', () => {
  it.each([
    [{ size: 'huge' }, 'invalid_size'],
    [{ format: 'tiff' }, 'invalid_format'],
    [{ channels: 'rgb' }, 'invalid_channels'],
    [{ roi: '0 0 1' }, 'invalid_roi'],
    [{ roi: '0% 0% 120% 100%' }, 'roi_exceeds_bounds'],
    [{ roi: '10px 10px 10px 200px' }, 'roi_region_empty'],
    [{ crop: true, cropMargin: '60%' }, 'invalid_crop_margin'],
    [{ scale: '5%' }, 'invalid_scale'],
    [{ position: 'top' }, 'invalid_position'],
    [{ bgColor: 'nocolour' }, 'invalid_bg_color'],
  ])('%j → %s', async (options, code) => {
    const fresh = await subjectImage({ width: 320, height: 240, seed: 99 });
    const before = pipeline.model.runs;
    expect(await codeOf(render(options as RenderOptions, undefined, fresh))).toBe(code);
    expect(pipeline.model.runs).toBe(before);
  });

  it('a background image that is not an image → invalid_bg_image', async () => {
    expect(await codeOf(render({}, Buffer.from('not an image')))).toBe('invalid_bg_image');
  });

  it('a truncated JPEG → failed_to_read_image, never a partial render', async () => {
    const noise = Buffer.from(Array.from({ length: 400 * 300 * 3 }, (_, i) => (i * 7919) % 251));
    const jpg = await sharp(noise, { raw: { width: 400, height: 300, channels: 3 } })
      .jpeg()
      .toBuffer();
    const before = pipeline.model.runs;
    expect(await codeOf(render({ size: 'preview' }, undefined, jpg.subarray(0, Math.floor(jpg.length * 0.7))))).toBe(
      'failed_to_read_image',
    );
    expect(pipeline.model.runs).toBe(before);
  });

  it('an aborted request stops with timeout', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pipeline.render({ bytes: image, options: {}, signal: controller.signal })).rejects.toMatchObject({
      code: 'timeout',
      status: 504,
    });
  });
});

describe('input orientation and alpha', () => {
  it('applies EXIF orientation before the model (subject on the stored left ends up on top)', async () => {
    // Stored 600×400 with the disc on the left; orientation 6 displays it rotated 90° clockwise.
    const stored = await subjectImage({ width: 600, height: 400, cx: 0.25, cy: 0.5, r: 0.3, seed: 2 });
    const rotated = await sharp(stored).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const out = await render({ format: 'png' }, undefined, rotated);
    expect([out.width, out.height, out.inputWidth, out.inputHeight]).toEqual([400, 600, 400, 600]);
    // Displayed: x = 399 - y_stored, y = x_stored → centre (200, 150), radius 120.
    expectDiscBox(out, 200, 150, 120, 0.08);
  });

  it('respects input alpha: transparent input stays transparent', async () => {
    // The disc on an opaque background, but the left half of the picture is fully transparent.
    const rgb = await sharp(await subjectImage({ width: 640, height: 480, seed: 3 }))
      .raw()
      .toBuffer();
    const rgba = Buffer.alloc(640 * 480 * 4);
    for (let i = 0; i < 640 * 480; i++) {
      rgba[i * 4] = rgb[i * 3]!;
      rgba[i * 4 + 1] = rgb[i * 3 + 1]!;
      rgba[i * 4 + 2] = rgb[i * 3 + 2]!;
      rgba[i * 4 + 3] = i % 640 < 320 ? 0 : 255;
    }
    const png = await sharp(rgba, { raw: { width: 640, height: 480, channels: 4 } })
      .png()
      .toBuffer();
    const out = await render({ format: 'png' }, undefined, png);
    const { at } = await pixels(out.body);
    expect(at(300, 240)[3]).toBe(0);
    expect(at(340, 240)[3]).toBeGreaterThan(200);
    expect(out.foreground.left).toBeGreaterThanOrEqual(320);
  });
});
