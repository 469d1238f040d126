// Keeps the main subject: IS-Net sometimes marks salient background detail (lettering on a studio
// wall, a distant sign) as foreground, as separate blobs far smaller than the subject. Blobs of
// the probability map whose confident area is a small fraction of the largest blob's are removed.
// Works on the model-resolution map (1024²), so it costs a few milliseconds at any image size.

export interface ComponentOptions {
  /** A blob is the 8-connected set of pixels with p ≥ low (its soft fringe included). */
  low: number;
  /** Its area counts pixels with p ≥ high. */
  high: number;
  /** Blobs with area < minRatio × the largest blob's area are dropped. */
  minRatio: number;
}

export const DEFAULT_COMPONENTS: ComponentOptions = { low: 0.1, high: 0.5, minRatio: 0.1 };

/** Returns a copy of `prob` with minor blobs set to 0 (or `prob` itself when nothing is dropped). */
export function keepMainComponents(
  prob: Float32Array,
  width: number,
  height: number,
  opts: ComponentOptions = DEFAULT_COMPONENTS,
): Float32Array {
  const n = width * height;
  const label = new Int32Array(n); // 0 = unvisited / background
  const stack = new Int32Array(n);
  const areas: number[] = [0];
  let next = 1;
  for (let seed = 0; seed < n; seed++) {
    if (label[seed] !== 0 || prob[seed]! < opts.low) continue;
    const id = next++;
    let area = 0;
    let top = 0;
    stack[top++] = seed;
    label[seed] = id;
    while (top > 0) {
      const i = stack[--top]!;
      if (prob[i]! >= opts.high) area++;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (label[j] === 0 && prob[j]! >= opts.low) {
            label[j] = id;
            stack[top++] = j;
          }
        }
      }
    }
    areas.push(area);
  }
  const largest = Math.max(0, ...areas);
  if (largest === 0) return prob;
  const drop = areas.map((a) => a < opts.minRatio * largest);
  if (!drop.some(Boolean)) return prob;
  const out = Float32Array.from(prob);
  for (let i = 0; i < n; i++) if (label[i]! > 0 && drop[label[i]!]) out[i] = 0;
  return out;
}
