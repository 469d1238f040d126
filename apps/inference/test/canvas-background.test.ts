// Two bounds on what one render may allocate: the crop canvas (subject + crop_margin) is at most
// 50 MP, refused with output_too_large before any pixel work; and a background image is decoded
// at the canvas size, never at its own full size (a 50 MP background behind a preview).
// Runs on a tiny ONNX model the test writes, so the model costs nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskCache } from '../src/cache/mask-cache.ts';
import { loadRegistry, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { decodeBackground } from '../src/pipeline/background.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { largeJpeg, LARGE_H, LARGE_W } from './support/large.ts';
import { pngBomb } from './support/png-bomb.ts';
import { pixels } from './support/pipeline.ts';
import { writeTinyModel } from './support/tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'bgr-canvas-'));
let pipeline: Pipeline;

beforeAll(async () => {
  writeTinyModel(join(dir, 'tiny.onnx'), 64);
  const registryFile = join(dir, 'models.json');
  writeFileSync(registryFile, JSON.stringify([{ name: 'tiny', file: join(dir, 'tiny.onnx'), inputSize: 64, mean: [0, 0, 0], std: [1, 1, 1], sigmoid: true }]));
  pipeline = new Pipeline(await ModelSession.load(selectModel(loadRegistry(registryFile), 'tiny'), { device: 'cpu', threads: 1 }), new MaskCache());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Green square (the "subject") on red. */
function greenOnRed(width = 200, height = 160): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: 80, height: 60, channels: 3, background: '#00ff00' } }, left: 60, top: 50 }])
    .png()
    .toBuffer();
}

describe('the crop canvas is at most 50 MP', () => {
  // A 50 MP PNG header with (almost) no pixel data: any decode would fail with failed_to_read_image,
  // so output_too_large proves the refusal came first.
  const bomb = pngBomb(LARGE_W, LARGE_H);

  it('refuses crop_margin=50% on a 50 MP image with output_too_large, before any decoding or model run', async () => {
    const runs = pipeline.model.runs;
    for (const size of ['50MP', 'full'] as const) {
      const err = await pipeline.render({ bytes: bomb, options: { size, format: 'jpg', crop: true, cropMargin: '50%' } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'output_too_large', status: 400, title: 'Output image resolution too high' });
    }
    const err = await pipeline.render({ bytes: bomb, options: { size: '50MP', format: 'jpg', crop: true, cropMargin: '50%' } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'Cropping with this crop_margin could make the result 17320×11547 (200.0 megapixels); the limit is 50 megapixels. Use a smaller crop_margin or size, or a roi around the subject.',
    );
    expect(pipeline.model.runs).toBe(runs);
  });

  it('lets through what cannot pass 50 MP: a smaller size, a roi around the subject, a crop without margins', async () => {
    const jpg = { size: '50MP', format: 'jpg', crop: true } as const;
    await expect(pipeline.plan({ bytes: bomb, options: { ...jpg, size: 'preview', cropMargin: '50%' } })).resolves.toBeTruthy();
    await expect(pipeline.plan({ bytes: bomb, options: { ...jpg, cropMargin: '50%', roi: '0px 0px 2000px 2000px' } })).resolves.toBeTruthy();
    await expect(pipeline.plan({ bytes: bomb, options: jpg })).resolves.toBeTruthy();
    // PNG output is capped at 10 MP, so its canvas is smaller.
    await expect(pipeline.plan({ bytes: bomb, options: { ...jpg, format: 'png', cropMargin: '50%' } })).resolves.toBeTruthy();
    // 8660×5773 plus 500 px on every side is 65 MP.
    await expect(pipeline.plan({ bytes: bomb, options: { ...jpg, cropMargin: '500px' } })).rejects.toMatchObject({ code: 'output_too_large' });
  });

  it('still crops with 50% margins when the canvas fits', async () => {
    const out = await pipeline.render({ bytes: await greenOnRed(), options: { format: 'png', crop: true, cropMargin: '50%' } });
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
      .composite([{ input: { create: { width: 200, height: 100, channels: 3, background: '#ffff00' } }, left: 200, top: 0 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const img = await decodeBackground(bg, 100, 100);
    expect([img.width, img.height, img.channels]).toEqual([100, 100, 4]);
    const at = (x: number, y: number) => Array.from(img.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4));
    expect(at(10, 50)[2]).toBeGreaterThan(200); // blue on the left
    expect(at(90, 50)[0]).toBeGreaterThan(200); // yellow on the right
    expect(at(90, 50)[2]).toBeLessThan(60);
    await expect(decodeBackground(bg.subarray(0, bg.length / 2), 100, 100)).rejects.toMatchObject({ code: 'failed_to_read_image' });
  });

  it('puts a 50 MP background behind a preview without decoding its 50 MP (peak memory)', async () => {
    const background = await largeJpeg(7);
    const subject = await greenOnRed(640, 480);
    // Warm up (model session, sharp) on a small background, then measure from a reset peak.
    await pipeline.render({ bytes: subject, options: { size: 'preview', format: 'jpg' }, bgImage: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } }).jpeg().toBuffer() });
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
    const before = rss();
    const out = await pipeline.render({ bytes: subject, options: { size: 'preview', format: 'jpg' }, bgImage: background });
    const growth = peak() - before;
    expect([out.width, out.height]).toEqual([577, 433]);
    // The full decode alone is 8660×5773×4 bytes = 200 MB; at the canvas size it is under 1 MB.
    expect(growth).toBeLessThan(60 * 1024 * 1024);
    // The background is there: the subject's surroundings are transparent, so they show it.
    const { at } = await pixels(out.body);
    expect(at(5, 5)).not.toEqual(at(out.width / 2, out.height / 2));
  });
});
