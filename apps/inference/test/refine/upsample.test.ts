// The mask enlargement (refine/upsample.ts): centre-aligned bilinear to within rounding (and close
// to the libvips resize it replaced), certain pixels stay certain, the table applied in the same pass.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { upsampleBilinear } from '../../src/pipeline/refine/upsample.ts';

describe('upsampleBilinear', () => {
  it("is centre-aligned bilinear to within rounding, and close to libvips' own", async () => {
    const sw = 64,
      sh = 48,
      dw = 301,
      dh = 217;
    const src = new Uint8Array(sw * sh);
    for (let y = 0; y < sh; y++)
      for (let x = 0; x < sw; x++) src[y * sw + x] = Math.round(127.5 + 127.5 * Math.sin(x / 7) * Math.cos(y / 5));
    const ours = upsampleBilinear(src, sw, sh, dw, dh);
    const at = (x: number, y: number) => src[Math.min(sh - 1, Math.max(0, y)) * sw + Math.min(sw - 1, Math.max(0, x))]!;
    const exact = (x: number, y: number) => {
      const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * (sw / dw) - 0.5));
      const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * (sh / dh) - 0.5));
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy),
        fx = sx - x0,
        fy = sy - y0;
      return (
        (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
        (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
      );
    };
    let maxExact = 0;
    for (let y = 0; y < dh; y++)
      for (let x = 0; x < dw; x++) maxExact = Math.max(maxExact, Math.abs(ours[y * dw + x]! - exact(x, y)));
    expect(maxExact).toBeLessThanOrEqual(1.5); // 1/256 weight steps plus rounding
    // libvips' linear upsizing (what this replaced) places samples slightly differently: close, not equal.
    const vips = await sharp(Buffer.from(src), { raw: { width: sw, height: sh, channels: 1 } })
      .toColourspace('b-w')
      .resize(dw, dh, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    let sum = 0;
    for (let i = 0; i < ours.length; i++) sum += Math.abs(ours[i]! - vips[i]!);
    expect(sum / ours.length).toBeLessThan(2.5);
  });

  it('keeps certain pixels certain, makes a monotone ramp across an edge, and applies the table', () => {
    const sw = 8,
      sh = 2;
    const src = new Uint8Array([0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
    const out = upsampleBilinear(src, sw, sh, 64, 16);
    const row = Array.from(out.subarray(5 * 64, 6 * 64));
    expect(row.slice(0, 20).every((v) => v === 0)).toBe(true);
    expect(row.slice(44).every((v) => v === 255)).toBe(true);
    for (let x = 1; x < 64; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
    expect(row.some((v) => v > 0 && v < 255)).toBe(true);
    const invert = Uint8Array.from({ length: 256 }, (_, v) => 255 - v);
    const mapped = upsampleBilinear(src, sw, sh, 64, 16, invert);
    for (let i = 0; i < out.length; i++) expect(mapped[i]).toBe(255 - out[i]!);
  });
});
