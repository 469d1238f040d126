// shadow_type=auto: which shadow a subject gets. The rule (also in the README): `car` when the
// subject is wide (at least 1.4 times as wide as tall), bottom-heavy (the top quarter of its box
// holds less than a fifth of its alpha, as a car's roof does) and reaches into the lower third of
// the image; otherwise `drop`. type=car in the request makes `auto` a car shadow whatever the shape.
import { boundsOf, type Grid } from './grid.ts';

export const CAR_MIN_ASPECT = 1.4;
export const CAR_MAX_TOP_QUARTER_MASS = 0.2;

export function looksLikeCar(g: Grid): boolean {
  const box = boundsOf(g.data, g.w, g.h, 8 / 255);
  if (!box) return false;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  if (bw < CAR_MIN_ASPECT * bh) return false;
  if (box.bottom < (2 / 3) * g.h) return false;
  const quarter = box.top + bh / 4;
  let top = 0,
    all = 0;
  for (let y = box.top; y < box.bottom; y++) {
    let sum = 0;
    for (let x = box.left, o = y * g.w + box.left; x < box.right; x++, o++) sum += g.data[o]!;
    if (y + 0.5 < quarter) top += sum;
    all += sum;
  }
  return top < CAR_MAX_TOP_QUARTER_MASS * all;
}
