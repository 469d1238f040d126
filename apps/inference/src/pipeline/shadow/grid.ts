// The shadow's working grid: the final alpha averaged over f×f blocks (integer factor) into a small
// Float32 plane of about GRID_PIXELS, where every shadow shape is drawn and blurred, then scaled
// back up. A 12 MP alpha becomes ~0.2 MP, so the shapes cost milliseconds whatever the image size.
import type { RawImage } from '../raw.ts';

/** The grid's target size: enough for soft shadows, small enough to blur in a few milliseconds. */
export const GRID_PIXELS = 200_000;

export interface Grid {
  /** Alpha 0..1, row-major, w×h. */
  data: Float32Array;
  w: number;
  h: number;
  /** One grid cell covers f×f output pixels (the last row/column may be partial). */
  f: number;
}

/** A rectangle in grid cells, right/bottom exclusive. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function gridFactor(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.sqrt((width * height) / GRID_PIXELS)));
}

/** Block average of the 4th channel of an RGBA image (or the only channel of a 1-channel one). */
export function alphaGrid(img: RawImage, f = gridFactor(img.width, img.height)): Grid {
  const { width, height, channels } = img;
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sums = new Float64Array(w);
  const data = new Float32Array(w * h);
  const src = img.data;
  const off = channels - 1;
  for (let gy = 0; gy < h; gy++) {
    sums.fill(0);
    const y1 = Math.min(height, (gy + 1) * f);
    for (let y = gy * f; y < y1; y++) {
      let o = y * width * channels + off;
      for (let gx = 0; gx < w; gx++) {
        const x1 = Math.min(width, (gx + 1) * f);
        let sum = 0;
        for (let x = gx * f; x < x1; x++, o += channels) sum += src[o]!;
        sums[gx]! += sum;
      }
    }
    const rows = y1 - gy * f;
    for (let gx = 0; gx < w; gx++) {
      const cols = Math.min(width, (gx + 1) * f) - gx * f;
      data[gy * w + gx] = sums[gx]! / (255 * rows * cols);
    }
  }
  return { data, w, h, f };
}

/** The bounding box of cells at or above `threshold`, or null when there are none. */
export function boundsOf(data: Float32Array, w: number, h: number, threshold: number): Box | null {
  let left = w,
    top = h,
    right = -1,
    bottom = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (data[row + x]! >= threshold) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 };
}

/**
 * Separable box blur with zero padding (light spreads off the edge), radius r cells each way,
 * `passes` times (three passes approximate a Gaussian). Integer radius, running sums: O(1) a cell.
 */
export function boxBlur(src: Float32Array, w: number, h: number, r: number, passes = 3): Float32Array {
  if (r < 1) return src;
  const a = Float32Array.from(src);
  const b = new Float32Array(w * h);
  const n = 2 * r + 1;
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let acc = 0;
      for (let x = 0; x < Math.min(r, w); x++) acc += a[row + x]!;
      for (let x = 0; x < w; x++) {
        if (x + r < w) acc += a[row + x + r]!;
        b[row + x] = acc / n;
        if (x - r >= 0) acc -= a[row + x - r]!;
      }
    }
    const col = new Float64Array(w);
    for (let y = 0; y < Math.min(r, h); y++) for (let x = 0; x < w; x++) col[x]! += b[y * w + x]!;
    for (let y = 0; y < h; y++) {
      if (y + r < h) for (let x = 0, o = (y + r) * w; x < w; x++) col[x]! += b[o + x]!;
      for (let x = 0, o = y * w; x < w; x++) a[o + x] = col[x]! / n;
      if (y - r >= 0) for (let x = 0, o = (y - r) * w; x < w; x++) col[x]! -= b[o + x]!;
    }
  }
  return a;
}
