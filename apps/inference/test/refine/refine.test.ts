// The refine stage on synthetic data: no model, real sharp.
import { describe, expect, it } from 'vitest';
import { refineAlpha } from '../../src/pipeline/refine/index.ts';
import { keepMainComponents } from '../../src/pipeline/refine/components.ts';
import { curveLut } from '../../src/pipeline/refine/curve.ts';
import { decontaminate } from '../../src/pipeline/refine/decontaminate.ts';
import type { RawImage } from '../../src/pipeline/raw.ts';

const S = 64; // model-resolution stand-in

/** A probability map with a soft vertical edge at x = edge (in model pixels), ramp `ramp` px wide. */
function edgeProb(edge: number, ramp: number, size = S): Float32Array {
  const p = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) p[y * size + x] = Math.min(1, Math.max(0, 0.5 + (edge - (x + 0.5)) / ramp));
  }
  return p;
}

/** An RGB image: red left of `edge`, green right, hard edge. */
function redGreen(width: number, height: number, edge: number): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (x < edge) data[o] = 220;
      else data[o + 1] = 200;
    }
  }
  return { data, width, height, channels: 3 };
}

describe('curveLut', () => {
  it('keeps 0, 255 and the order of values, and steepens the mid-tones', () => {
    const lut = curveLut({ gain: 1.5, bias: 0 });
    expect(lut[0]).toBe(0);
    expect(lut[255]).toBe(255);
    for (let v = 1; v < 256; v++) expect(lut[v]!).toBeGreaterThanOrEqual(lut[v - 1]!);
    expect(lut[128]).toBeGreaterThanOrEqual(127);
    expect(lut[128]).toBeLessThanOrEqual(129);
    expect(lut[64]!).toBeLessThan(64);
    expect(lut[192]!).toBeGreaterThan(192);
    // soft stays soft: a quarter-opaque pixel is still semi-transparent
    expect(lut[64]!).toBeGreaterThan(8);
  });
});

describe('keepMainComponents', () => {
  it('drops a blob far smaller than the subject and keeps the subject untouched', () => {
    const n = 100;
    const p = new Float32Array(n * n);
    for (let y = 20; y < 80; y++) for (let x = 20; x < 80; x++) p[y * n + x] = 0.95; // subject 3600 px
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) p[y * n + x] = 0.9; // speck 16 px
    const out = keepMainComponents(p, n, n);
    expect(out[3 * n + 3]).toBe(0);
    expect(out[50 * n + 50]).toBeCloseTo(0.95);
  });

  it('keeps a second object of comparable size (several subjects stay)', () => {
    const n = 100;
    const p = new Float32Array(n * n);
    for (let y = 10; y < 40; y++) for (let x = 10; x < 40; x++) p[y * n + x] = 0.9;
    for (let y = 60; y < 80; y++) for (let x = 60; x < 80; x++) p[y * n + x] = 0.9; // 400 vs 900 px
    const out = keepMainComponents(p, n, n);
    expect(out[70 * n + 70]).toBeCloseTo(0.9);
    expect(out[20 * n + 20]).toBeCloseTo(0.9);
  });
});

describe('refineAlpha', () => {
  it('turns a hard-edged subject into a sharp full-size edge at the right place', async () => {
    const width = 400,
      height = 300;
    // At model resolution the edge sits at 40 % of the width with a 3-pixel ramp.
    const prob = edgeProb(0.4 * S, 3);
    const { alpha } = await refineAlpha({
      prob,
      probWidth: S,
      probHeight: S,
      image: redGreen(width, height, 160),
      colours: false,
    });
    expect(alpha.width).toBe(width);
    expect(alpha.height).toBe(height);
    expect(alpha.channels).toBe(1);
    const row = alpha.data.subarray(150 * width, 151 * width);
    expect(row[100]).toBe(255);
    expect(row[220]).toBe(0);
    // The 50 % crossing is at the edge (± 1 px) and the transition is narrow: a 3-px ramp at 64 px
    // is ~19 px at 400 px; the curve keeps it under that, but still more than one step.
    const crossing = row.findIndex((v) => v < 128);
    // (the default curve's small positive bias moves the crossing outwards by ~2 px here)
    expect(Math.abs(crossing - 160)).toBeLessThanOrEqual(3);
    const soft = Array.from(row).filter((v) => v > 8 && v < 247).length;
    expect(soft).toBeGreaterThanOrEqual(2);
    expect(soft).toBeLessThan(19);
  });

  it('gives red-on-green edge pixels a foreground colour with no green in it', async () => {
    // A realistic proportion: the soft edge is a few pixels wide in a 400-pixel image.
    const width = 400,
      height = 200;
    const edgeX = 200;
    const M = 256;
    const image = redGreen(width, height, edgeX);
    const prob = edgeProb((edgeX / width) * M, 3, M);
    // The photo's edge pixels are a mix I = αF + (1−α)B of the red subject and the green
    // background, with the α the refine stage will find.
    const { alpha: mix } = await refineAlpha({ prob, probWidth: M, probHeight: M, image, colours: false });
    for (let i = 0; i < width * height; i++) {
      const a = mix.data[i]! / 255;
      image.data[i * 3] = Math.round(a * 220);
      image.data[i * 3 + 1] = Math.round((1 - a) * 200);
      image.data[i * 3 + 2] = 0;
    }
    const photo = Buffer.from(image.data); // refineAlpha corrects the image's colours in place
    const { alpha } = await refineAlpha({ prob, probWidth: M, probHeight: M, image });
    const rgb = image;
    let checked = 0;
    for (let x = 0; x < width; x++) {
      const i = 100 * width + x;
      const a = alpha.data[i]!;
      if (a <= 20 || a >= 235) continue;
      checked++;
      const g = rgb!.data[i * 3 + 1]!;
      const photoGreen = photo[i * 3 + 1]!;
      expect(g).toBeLessThan(25); // the photo had up to 200 green here
      expect(photoGreen).toBeGreaterThan(g);
      expect(rgb!.data[i * 3]!).toBeGreaterThan(150); // and it is red
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('works at a reduced colour working size (large images) with the same result shape', async () => {
    const width = 600,
      height = 400;
    const image = redGreen(width, height, 300);
    const prob = edgeProb(S / 2, 4);
    const { alpha } = await refineAlpha(
      { prob, probWidth: S, probHeight: S, image },
      { components: null, curve: { gain: 1.5, bias: 0 }, colourWorkPixels: 20_000 },
    );
    const rgb = image;
    expect(alpha.data.length).toBe(width * height);
    expect(rgb.data.length).toBe(width * height * 3);
    // Opaque pixels keep the photo's colour exactly.
    const i = 200 * width + 50;
    expect(alpha.data[i]).toBe(255);
    expect(Array.from(rgb.data.subarray(i * 3, i * 3 + 3))).toEqual([220, 0, 0]);
  });
});

describe('decontaminate', () => {
  it('leaves opaque and transparent pixels as they are', () => {
    const rgb = new Uint8Array([10, 20, 30, 40, 50, 60]);
    const alpha = new Uint8Array([255, 0]);
    decontaminate({
      rgb,
      channels: 3,
      width: 2,
      height: 1,
      alpha,
      smallRgb: Uint8Array.from(rgb),
      smallChannels: 3,
      smallAlpha: alpha,
      smallWidth: 2,
      smallHeight: 1,
    });
    expect(Array.from(rgb)).toEqual([10, 20, 30, 40, 50, 60]);
  });
});
