// Two bounds on what one render may allocate: the crop canvas (subject + crop_margin) is at most
// 50 MP, refused with output_too_large before it is allocated; and a background image is decoded
// at the canvas size, never at its own full size (a 50 MP background behind a preview).
// Runs on a tiny ONNX model the test writes, so the model costs nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackground } from '../src/pipeline/background.ts';
import type { Pipeline } from '../src/pipeline/render.ts';
import { largeJpeg } from './support/large.ts';
import { pixels } from './support/pipeline.ts';
import { tinyPipeline } from './support/tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'bgr-canvas-'));
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await tinyPipeline(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Green square (the "subject") on red. */
function greenOnRed(width = 200, height = 160): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([
      { input: { create: { width: 80, height: 60, channels: 3, background: '#00ff00' } }, left: 60, top: 50 },
    ])
    .png()
    .toBuffer();
}

describe('the crop canvas is at most 50 MP', () => {
  it('refuses a subject whose crop canvas passes 50 MP with output_too_large, before allocating it', async () => {
    // 4400×3000 (13.2 MP) all green: the subject fills it, and 50% margins on every side make
    // 8800×6000 = 52.8 MP.
    const green = await sharp({ create: { width: 4400, height: 3000, channels: 3, background: '#00ff00' } })
      .jpeg()
      .toBuffer();
    const err = await pipeline
      .render({ bytes: green, options: { size: '50MP', format: 'jpg', crop: true, cropMargin: '50%' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'output_too_large', status: 400, title: 'Output image resolution too high' });
    expect((err as Error).message).toBe(
      'Cropping with this crop_margin would make the result 8800×6000 (52.8 megapixels); the limit is 50 megapixels. Use a smaller crop_margin or size.',
    );
    // 40% margins: 7920×5400 = 42.8 MP fits.
    const ok = await pipeline.render({
      bytes: green,
      options: { size: '50MP', format: 'jpg', crop: true, cropMargin: '40%' },
    });
    expect([ok.width, ok.height]).toEqual([7920, 5400]);
  });

  it('crops a small subject in a large photo with 50% margins (the bound is the real subject, not the image)', async () => {
    // 30 MP red with an 1000×800 green subject; size=full works at 25 MP.
    const photo = await sharp({ create: { width: 6708, height: 4472, channels: 3, background: '#ff0000' } })
      .composite([
        { input: { create: { width: 1000, height: 800, channels: 3, background: '#00ff00' } }, left: 3000, top: 2000 },
      ])
      .jpeg()
      .toBuffer();
    const out = await pipeline.render({
      bytes: photo,
      options: { size: 'full', format: 'jpg', crop: true, cropMargin: '50%' },
    });
    // The subject at 25/30 of its size (≈ 913×730; the tiny model's 64² mask blurs its edge by a
    // few dozen pixels), plus half of it on every side: about 1830×1460, far below the 50 MP the
    // image-size bound (6122×4081 working size × 2 × 2) would have assumed.
    expect(out.width).toBeGreaterThan(1700);
    expect(out.width).toBeLessThan(2000);
    expect(out.height).toBeGreaterThan(1380);
    expect(out.height).toBeLessThan(1650);
  });

  it('still crops with 50% margins when the canvas fits', async () => {
    const out = await pipeline.render({
      bytes: await greenOnRed(),
      options: { format: 'png', crop: true, cropMargin: '50%' },
    });
    // The subject (about 80×60), plus half its size on every side.
    const fg = out.foreground;
    expect(fg.width).toBeGreaterThanOrEqual(78);
    expect([fg.left, fg.top]).toEqual([Math.round(fg.width / 2), Math.round(fg.height / 2)]);
    expect([out.width, out.height]).toEqual([fg.width + 2 * fg.left, fg.height + 2 * fg.top]);
  });
});

describe('background images are decoded at the canvas size', () => {
  it('decodes straight to the canvas, covering it, centred', async () => {
    // Left half blue, right half yellow, 400×100: covering 100×100 keeps the centre 100×100.
    const bg = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#0000ff' } })
      .composite([
        { input: { create: { width: 200, height: 100, channels: 3, background: '#ffff00' } }, left: 200, top: 0 },
      ])
      .jpeg({ quality: 95 })
      .toBuffer();
    const img = await decodeBackground(bg, 100, 100);
    expect([img.width, img.height, img.channels]).toEqual([100, 100, 4]);
    const at = (x: number, y: number) => Array.from(img.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4));
    expect(at(10, 50)[2]).toBeGreaterThan(200); // blue on the left
    expect(at(90, 50)[0]).toBeGreaterThan(200); // yellow on the right
    expect(at(90, 50)[2]).toBeLessThan(60);
    await expect(decodeBackground(bg.subarray(0, bg.length / 2), 100, 100)).rejects.toMatchObject({
      code: 'failed_to_read_image',
    });
  });

  it('puts a 50 MP background behind a preview without decoding its 50 MP (peak memory)', async () => {
    const background = await largeJpeg(7);
    const subject = await greenOnRed(640, 480);
    // Warm up (model session, sharp) on a small background, then measure from a reset peak.
    await pipeline.render({
      bytes: subject,
      options: { size: 'preview', format: 'jpg' },
      bgImage: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } })
        .jpeg()
        .toBuffer(),
    });
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
    const before = rss();
    const out = await pipeline.render({
      bytes: subject,
      options: { size: 'preview', format: 'jpg' },
      bgImage: background,
    });
    const growth = peak() - before;
    expect([out.width, out.height]).toEqual([577, 433]);
    // The full decode alone is 8660×5773×4 bytes = 200 MB; at the canvas size it is under 1 MB.
    expect(growth).toBeLessThan(60 * 1024 * 1024);
    // The background is there: the subject's surroundings are transparent, so they show it.
    const { at } = await pixels(out.body);
    expect(at(5, 5)).not.toEqual(at(out.width / 2, out.height / 2));
  });
});
