// Foreground colour estimation for soft edges: "approximate fast foreground colour estimation"
// (Forte & Pitié, ICIP 2021, blur fusion). On a semi-transparent pixel the photo's colour is a
// mix I = αF + (1−α)B; we estimate a local foreground F̂ and background B̂ by alpha-weighted box
// blurs and correct: F = F̂ + α(I − αF̂ − (1−α)B̂). Two levels: a wide blur, then a narrow one
// seeded with the first result.
import { boxMean } from './box.ts';

export type ColourPlanes = [Float32Array, Float32Array, Float32Array];

/** Local foreground / background colour estimates (0..1 floats), the slow-varying parts of F and B. */
export type BlurFusion = { fg: ColourPlanes; bg: ColourPlanes };

function level(
  F: ColourPlanes,
  B: ColourPlanes,
  alpha: Float32Array,
  width: number,
  height: number,
  r: number,
): BlurFusion {
  const n = alpha.length;
  const ba = boxMean(alpha, width, height, r);
  const tmp = new Float32Array(n);
  const fg = [] as unknown as ColourPlanes;
  const bg = [] as unknown as ColourPlanes;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) tmp[i] = F[c]![i]! * alpha[i]!;
    const bfa = boxMean(tmp, width, height, r);
    for (let i = 0; i < n; i++) tmp[i] = B[c]![i]! * (1 - alpha[i]!);
    const bba = boxMean(tmp, width, height, r);
    for (let i = 0; i < n; i++) {
      bfa[i] = bfa[i]! / (ba[i]! + 1e-5);
      bba[i] = bba[i]! / (1 - ba[i]! + 1e-5);
    }
    fg[c] = bfa;
    bg[c] = bba;
  }
  return { fg, bg };
}

/** F = F̂ + α(I − αF̂ − (1−α)B̂), clamped to [0,1]. */
export function correct(i: number, a: number, f: number, b: number): number {
  const v = f + a * (i - a * f - (1 - a) * b);
  return v < 0 ? 0 : Math.min(v, 1);
}

/**
 * Runs both blur-fusion levels on float planes and returns the final local estimates F̂, B̂ of
 * the second level, so the caller can apply `correct` per pixel at any (higher) resolution.
 * `r1` / `r2` are the box radii of the wide and narrow level in pixels of this resolution.
 */
export function blurFusion(
  image: ColourPlanes,
  alpha: Float32Array,
  width: number,
  height: number,
  r1: number,
  r2: number,
): BlurFusion {
  const first = level(image, image, alpha, width, height, r1);
  const n = alpha.length;
  const F: ColourPlanes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) F[c]![i] = correct(image[c]![i]!, alpha[i]!, first.fg[c]![i]!, first.bg[c]![i]!);
  }
  return level(F, first.bg, alpha, width, height, r2);
}
