// A 50-megapixel input: jpg, webp and zip at full resolution, png capped at 10 MP, `full` capped
// at 25 MP — within a bounded peak RSS (no full-size Float32 copies): 2.5 GiB for jpg and zip,
// 3 GiB once webp has run. One model run in all.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../src/pipeline/render.ts';
import { LARGE_H, LARGE_W, largeJpeg, peakRss } from './support/large.ts';
import { realPipeline } from './support/pipeline.ts';
import { readZip } from './support/zip.ts';

let pipeline: Pipeline;
let bytes: Buffer;
const GiB = 1024 ** 3;

beforeAll(async () => {
  bytes = await largeJpeg();
  pipeline = await realPipeline();
});

afterAll(async () => {
  // Recorded in the test output for the README (the process's high-water mark, model included).
  console.log(`50 MP suite peak RSS: ${((await peakRss()) / GiB).toFixed(2)} GiB`);
});

describe('50 MP input', () => {
  it('renders jpg at full resolution', async () => {
    const out = await pipeline.render({ bytes, options: { size: '50MP', format: 'jpg' } });
    expect([out.width, out.height]).toEqual([LARGE_W, LARGE_H]);
    const meta = await sharp(out.body, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', LARGE_W, LARGE_H]);
    expect(out.maskCached).toBe(false);
    // Disc centred, radius 0.28 × height.
    expect(Math.abs(out.foreground.width - 0.56 * LARGE_H)).toBeLessThan(0.06 * LARGE_H);
    expect(await peakRss()).toBeLessThan(2.5 * GiB);
  });

  it('renders zip at full resolution from the cached mask', async () => {
    const runs = pipeline.model.runs;
    const out = await pipeline.render({ bytes, options: { size: '50MP', format: 'zip' } });
    expect(pipeline.model.runs).toBe(runs);
    const [color, alpha] = readZip(out.body);
    const a = await sharp(alpha!.data, { limitInputPixels: false }).metadata();
    expect([color!.name, alpha!.name, a.width, a.height, a.channels]).toEqual([
      'color.jpg',
      'alpha.png',
      LARGE_W,
      LARGE_H,
      1,
    ]);
    expect(await peakRss()).toBeLessThan(2.5 * GiB);
  });

  it('renders webp at full resolution', async () => {
    const out = await pipeline.render({ bytes, options: { size: '50MP', format: 'webp' } });
    const meta = await sharp(out.body, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['webp', LARGE_W, LARGE_H, true]);
    // libwebp's lossless alpha encoder needs ~0.65 GiB of its own at 50 MP (an ARGB copy of the
    // alpha plane and a hash chain, measured alone), on top of the model's arena (README).
    expect(await peakRss()).toBeLessThan(3.0 * GiB);
  });

  it('caps png at 10 MP, aspect kept', async () => {
    const out = await pipeline.render({ bytes, options: { size: '50MP', format: 'png' } });
    expect(out.width * out.height).toBeLessThanOrEqual(10_000_000);
    expect(out.width * out.height).toBeGreaterThan(9_900_000);
    expect(out.width / out.height).toBeCloseTo(LARGE_W / LARGE_H, 2);
    const meta = await sharp(out.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', out.width, out.height]);
  });

  it('full stops at 25 MP (auto uses the same limit)', async () => {
    const out = await pipeline.render({ bytes, options: { size: 'full', format: 'jpg' } });
    expect(out.width * out.height).toBeLessThanOrEqual(25_000_000);
    expect(out.width * out.height).toBeGreaterThan(24_800_000);
  });
});
