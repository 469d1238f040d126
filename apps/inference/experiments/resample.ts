// Separable resampling of one float plane. Downsampling widens the kernel by the scale factor
// (proper antialiasing, area-like); upsampling interpolates. Pure, allocation = the output plus
// one intermediate plane of (dstWidth × srcHeight).

export type Kernel = 'box' | 'linear' | 'cubic' | 'mitchell' | 'lanczos3';

const SUPPORT: Record<Kernel, number> = { box: 0.5, linear: 1, cubic: 2, mitchell: 2, lanczos3: 3 };

function weight(kernel: Kernel, x: number): number {
  const a = Math.abs(x);
  switch (kernel) {
    case 'box':
      return a < 0.5 ? 1 : a === 0.5 ? 0.5 : 0;
    case 'linear':
      return a < 1 ? 1 - a : 0;
    case 'cubic': {
      // Catmull-Rom (a = -0.5): interpolating, keeps edges crisp.
      if (a < 1) return 1.5 * a * a * a - 2.5 * a * a + 1;
      if (a < 2) return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2;
      return 0;
    }
    case 'mitchell': {
      const B = 1 / 3,
        C = 1 / 3;
      if (a < 1) return ((12 - 9 * B - 6 * C) * a * a * a + (-18 + 12 * B + 6 * C) * a * a + (6 - 2 * B)) / 6;
      if (a < 2)
        return ((-B - 6 * C) * a * a * a + (6 * B + 30 * C) * a * a + (-12 * B - 48 * C) * a + (8 * B + 24 * C)) / 6;
      return 0;
    }
    case 'lanczos3': {
      if (a === 0) return 1;
      if (a >= 3) return 0;
      const px = Math.PI * a;
      return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
    }
  }
}

type Taps = { start: Int32Array; count: Int32Array; weights: Float32Array; maxTaps: number };

/** Filter taps mapping `src` samples onto `dst` samples along one axis (pixel centres aligned). */
function taps(src: number, dst: number, kernel: Kernel): Taps {
  const scale = src / dst;
  const widen = Math.max(1, scale);
  const support = SUPPORT[kernel] * widen;
  const maxTaps = Math.ceil(support * 2) + 2;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weights = new Float32Array(dst * maxTaps);
  for (let o = 0; o < dst; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    let lo = Math.ceil(centre - support);
    let hi = Math.floor(centre + support);
    if (lo < 0) lo = 0;
    if (hi > src - 1) hi = src - 1;
    let sum = 0;
    const n = Math.min(hi - lo + 1, maxTaps);
    for (let k = 0; k < n; k++) {
      const w = weight(kernel, (lo + k - centre) / widen);
      weights[o * maxTaps + k] = w;
      sum += w;
    }
    if (sum === 0) {
      // Degenerate (box kernel exactly between samples): nearest sample.
      const nearest = Math.min(src - 1, Math.max(0, Math.round(centre)));
      start[o] = nearest;
      count[o] = 1;
      weights[o * maxTaps] = 1;
      continue;
    }
    for (let k = 0; k < n; k++) weights[o * maxTaps + k]! /= sum;
    start[o] = lo;
    count[o] = n;
  }
  return { start, count, weights, maxTaps };
}

/** Resamples a single-channel float plane (row-major) to dstWidth × dstHeight. */
export function resamplePlane(
  src: Float32Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
  kernel: Kernel,
): Float32Array {
  if (srcWidth === dstWidth && srcHeight === dstHeight) return Float32Array.from(src);
  const tx = taps(srcWidth, dstWidth, kernel);
  const ty = taps(srcHeight, dstHeight, kernel);
  const mid = new Float32Array(dstWidth * srcHeight);
  for (let y = 0; y < srcHeight; y++) {
    const row = y * srcWidth;
    const outRow = y * dstWidth;
    for (let x = 0; x < dstWidth; x++) {
      const s = tx.start[x]!;
      const n = tx.count[x]!;
      const w0 = x * tx.maxTaps;
      let acc = 0;
      for (let k = 0; k < n; k++) acc += src[row + s + k]! * tx.weights[w0 + k]!;
      mid[outRow + x] = acc;
    }
  }
  const out = new Float32Array(dstWidth * dstHeight);
  for (let y = 0; y < dstHeight; y++) {
    const s = ty.start[y]!;
    const n = ty.count[y]!;
    const w0 = y * ty.maxTaps;
    const outRow = y * dstWidth;
    for (let k = 0; k < n; k++) {
      const w = ty.weights[w0 + k]!;
      const inRow = (s + k) * dstWidth;
      for (let x = 0; x < dstWidth; x++) out[outRow + x]! += mid[inRow + x]! * w;
    }
  }
  return out;
}
