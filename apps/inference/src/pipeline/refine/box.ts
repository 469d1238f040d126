// Mean over a (2r+1)² window, clamped at the borders (window shrinks, divisor follows), O(1) per
// pixel via running sums. Used by the guided filter and the foreground estimator.

export function boxMean(src: Float32Array, width: number, height: number, r: number, out?: Float32Array): Float32Array {
  const tmp = new Float32Array(width * height);
  const dst = out ?? new Float32Array(width * height);
  // Horizontal pass.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let acc = 0;
    const hiInit = Math.min(width - 1, r);
    for (let x = 0; x <= hiInit; x++) acc += src[row + x]!;
    for (let x = 0; x < width; x++) {
      const lo = x - r;
      const hi = x + r;
      const n = Math.min(hi, width - 1) - Math.max(lo, 0) + 1;
      tmp[row + x] = acc / n;
      if (hi + 1 < width) acc += src[row + hi + 1]!;
      if (lo >= 0) acc -= src[row + lo]!;
    }
  }
  // Vertical pass, a row of accumulators at a time for cache-friendliness.
  const acc = new Float64Array(width);
  const hiInit = Math.min(height - 1, r);
  for (let y = 0; y <= hiInit; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) acc[x]! += tmp[row + x]!;
  }
  for (let y = 0; y < height; y++) {
    const lo = y - r;
    const hi = y + r;
    const n = Math.min(hi, height - 1) - Math.max(lo, 0) + 1;
    const row = y * width;
    for (let x = 0; x < width; x++) dst[row + x] = acc[x]! / n;
    if (hi + 1 < height) {
      const add = (hi + 1) * width;
      for (let x = 0; x < width; x++) acc[x]! += tmp[add + x]!;
    }
    if (lo >= 0) {
      const sub = lo * width;
      for (let x = 0; x < width; x++) acc[x]! -= tmp[sub + x]!;
    }
  }
  return dst;
}
