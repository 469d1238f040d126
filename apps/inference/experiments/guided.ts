// Colour guided filter (He, Sun & Tang): the output follows the colour image's edges where the
// image explains the input locally (q = a·I + b per window), so an upsampled, blurry mask snaps
// to the real boundary. Coefficients are computed on float planes at a working resolution; the
// caller may evaluate q = A·I + B at a higher resolution (the "fast guided filter").
import { boxMean } from '../src/pipeline/refine/box.ts';

export type GuidedCoefficients = { a: [Float32Array, Float32Array, Float32Array]; b: Float32Array };

/**
 * @param rgb interleaved RGB (or RGBA when channels = 4) 8-bit guide, width × height
 * @param p   input plane in [0,1], width × height
 * @param eps regularisation on I in [0,1] units (larger = smoother, more like a box blur of p)
 * Returns window-averaged coefficients (mean a, mean b), so q = A·I + B.
 */
export function guidedCoefficients(
  rgb: Uint8Array,
  channels: number,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): GuidedCoefficients {
  const n = width * height;
  const I = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    I[0][i] = rgb[j]! / 255;
    I[1][i] = rgb[j + 1]! / 255;
    I[2][i] = rgb[j + 2]! / 255;
  }
  const mean = (x: Float32Array): Float32Array => boxMean(x, width, height, r);
  const prod = (x: Float32Array, y: Float32Array): Float32Array => {
    const o = new Float32Array(n);
    for (let i = 0; i < n; i++) o[i] = x[i]! * y[i]!;
    return o;
  };
  const mI = [mean(I[0]), mean(I[1]), mean(I[2])] as const;
  const mp = mean(p);
  const mIp = [mean(prod(I[0], p)), mean(prod(I[1], p)), mean(prod(I[2], p))] as const;
  const mrr = mean(prod(I[0], I[0]));
  const mrg = mean(prod(I[0], I[1]));
  const mrb = mean(prod(I[0], I[2]));
  const mgg = mean(prod(I[1], I[1]));
  const mgb = mean(prod(I[1], I[2]));
  const mbb = mean(prod(I[2], I[2]));
  const a0 = new Float32Array(n),
    a1 = new Float32Array(n),
    a2 = new Float32Array(n),
    b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ur = mI[0][i]!,
      ug = mI[1][i]!,
      ub = mI[2][i]!,
      up = mp[i]!;
    const cr = mIp[0][i]! - ur * up,
      cg = mIp[1][i]! - ug * up,
      cb = mIp[2][i]! - ub * up;
    const srr = mrr[i]! - ur * ur + eps,
      srg = mrg[i]! - ur * ug,
      srb = mrb[i]! - ur * ub;
    const sgg = mgg[i]! - ug * ug + eps,
      sgb = mgb[i]! - ug * ub,
      sbb = mbb[i]! - ub * ub + eps;
    // Inverse of the symmetric 3×3 covariance via cofactors.
    const c00 = sgg * sbb - sgb * sgb,
      c01 = srb * sgb - srg * sbb,
      c02 = srg * sgb - srb * sgg;
    const c11 = srr * sbb - srb * srb,
      c12 = srb * srg - srr * sgb,
      c22 = srr * sgg - srg * srg;
    const det = srr * c00 + srg * c01 + srb * c02;
    const inv = 1 / det;
    const x0 = (c00 * cr + c01 * cg + c02 * cb) * inv;
    const x1 = (c01 * cr + c11 * cg + c12 * cb) * inv;
    const x2 = (c02 * cr + c12 * cg + c22 * cb) * inv;
    a0[i] = x0;
    a1[i] = x1;
    a2[i] = x2;
    b[i] = up - x0 * ur - x1 * ug - x2 * ub;
  }
  return { a: [mean(a0), mean(a1), mean(a2)], b: mean(b) };
}

/** q = A·I + B at the coefficients' own resolution. */
export function applyGuided(
  rgb: Uint8Array,
  channels: number,
  c: GuidedCoefficients,
  out?: Float32Array,
): Float32Array {
  const n = c.b.length;
  const q = out ?? new Float32Array(n);
  const [A0, A1, A2] = c.a;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    q[i] = (A0[i]! * rgb[j]! + A1[i]! * rgb[j + 1]! + A2[i]! * rgb[j + 2]!) / 255 + c.b[i]!;
  }
  return q;
}
