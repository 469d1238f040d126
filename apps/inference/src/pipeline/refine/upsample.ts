// Bilinear enlargement of the 8-bit model mask to the output size, with the tone curve's table
// applied in the same pass. libvips' affine path took 258 ms for 1024² → 12 MP (and scales with
// the output: about a second at 50 MP) — the largest single cost of a render from a cached mask;
// this separable integer version takes a fraction of that. Pixel centres are aligned
// (x_src = (x + 0.5) · sw/dw − 0.5, clamped at the edges); weights are in 1/256 steps.

/**
 * src: sw×sh single-channel 8-bit; returns dw×dh (dw ≥ sw, dh ≥ sh expected, any size works),
 * each value mapped through `lut` when given.
 */
export function upsampleBilinear(
  src: Uint8Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  lut?: Uint8Array,
): Buffer {
  const out = Buffer.allocUnsafe(dw * dh);
  const x0s = new Int32Array(dw);
  const x1s = new Int32Array(dw);
  const wxs = new Int32Array(dw);
  const kx = sw / dw;
  for (let x = 0; x < dw; x++) {
    const s = Math.min(sw - 1, Math.max(0, (x + 0.5) * kx - 0.5));
    const x0 = Math.floor(s);
    x0s[x] = x0;
    x1s[x] = Math.min(sw - 1, x0 + 1);
    wxs[x] = Math.round((s - x0) * 256);
  }
  // Source rows interpolated across (values × 256), kept for the two rows in use.
  let rowA = new Int32Array(dw);
  let rowB = new Int32Array(dw);
  let rowAIndex = -1;
  let rowBIndex = -1;
  const across = (r: number, dst: Int32Array) => {
    const base = r * sw;
    for (let x = 0; x < dw; x++) {
      const w = wxs[x]!;
      dst[x] = src[base + x0s[x]!]! * (256 - w) + src[base + x1s[x]!]! * w;
    }
  };
  const ky = sh / dh;
  for (let y = 0; y < dh; y++) {
    const s = Math.min(sh - 1, Math.max(0, (y + 0.5) * ky - 0.5));
    const y0 = Math.floor(s);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = Math.round((s - y0) * 256);
    if (rowAIndex !== y0) {
      if (rowBIndex === y0) {
        [rowA, rowB] = [rowB, rowA];
        rowAIndex = y0;
        rowBIndex = -1;
      } else {
        across(y0, rowA);
        rowAIndex = y0;
      }
    }
    if (rowBIndex !== y1) {
      across(y1, rowB);
      rowBIndex = y1;
    }
    const o = y * dw;
    const wa = 256 - wy;
    if (lut) {
      for (let x = 0; x < dw; x++) out[o + x] = lut[(rowA[x]! * wa + rowB[x]! * wy + 32768) >> 16]!;
    } else {
      for (let x = 0; x < dw; x++) out[o + x] = (rowA[x]! * wa + rowB[x]! * wy + 32768) >> 16;
    }
  }
  return out;
}
