// Shadows under the cut-out (remove.bg's shadow_type / shadow_opacity), computed from the final
// alpha at the output resolution: the alpha is averaged down to a small grid (grid.ts), the shape
// is drawn and blurred there (shapes.ts), scaled back up over its own bounding box only, and
// composed under the subject as black of partial alpha. A background added afterwards is darkened.
import type { ShadowType } from '@bgr/inference-client/options';
import { SHADOW_OPACITY_DEFAULT } from '@bgr/inference-client/options';
import type { Rect } from '../options/values.ts';
import type { RawImage } from '../raw.ts';
import { looksLikeCar } from './auto.ts';
import { alphaGrid, type Box, boundsOf, type Grid } from './grid.ts';
import { carShadow, castShadow3d, dropShadow } from './shapes.ts';

export type CastShadowType = Exclude<ShadowType, 'none' | 'auto'>;

export interface ShadowSpec {
  type: CastShadowType;
  /** 1..100 */
  opacity: number;
}

/** Alpha (0..255) at or above this counts as subject, as for the reported foreground box. */
const SUBJECT_THRESHOLD = 8;

/**
 * The shadow to draw, or null for none. `auto` is `car` when the request says type=car or the
 * subject looks like a car (auto.ts), else `drop`. Opacity 0 draws nothing.
 */
export function resolveShadow(
  options: { shadowType: ShadowType; shadowOpacity?: number | undefined; type?: string | undefined },
  image: RawImage,
): ShadowSpec | null {
  if (options.shadowType === 'none') return null;
  let type: CastShadowType;
  if (options.shadowType !== 'auto') type = options.shadowType;
  else if (options.type?.trim().toLowerCase() === 'car') type = 'car';
  else type = looksLikeCar(alphaGrid(image)) ? 'car' : 'drop';
  const opacity = options.shadowOpacity ?? (type === 'car' ? SHADOW_OPACITY_DEFAULT.car : SHADOW_OPACITY_DEFAULT.other);
  return opacity > 0 ? { type, opacity } : null;
}

/** The shadow on the grid as 0..255 strengths, with the grid cells it covers. */
interface SmallShadow {
  data: Uint8Array;
  grid: Grid;
  /** Cells with any shadow, or null when the subject casts none. */
  region: Box | null;
}

function drawSmall(image: RawImage, spec: ShadowSpec): SmallShadow {
  const grid = alphaGrid(image);
  const data = new Uint8Array(grid.w * grid.h);
  const subject = boundsOf(grid.data, grid.w, grid.h, SUBJECT_THRESHOLD / 255);
  if (!subject) return { data, grid, region: null };
  const shape =
    spec.type === 'drop'
      ? dropShadow(grid, subject)
      : spec.type === '3D'
        ? castShadow3d(grid, subject)
        : carShadow(grid, subject);
  const k = (255 * spec.opacity) / 100;
  let left = grid.w,
    top = grid.h,
    right = -1,
    bottom = -1;
  for (let y = 0, i = 0; y < grid.h; y++) {
    for (let x = 0; x < grid.w; x++, i++) {
      const v = Math.round(Math.min(1, shape[i]!) * k);
      if (v === 0) continue;
      data[i] = v;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return { data, grid, region: right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 } };
}

/**
 * Where the shadow will lie (output pixels, strength at or above the subject threshold), for
 * crop: the crop box is the union of this and the subject's box. Null when there is none.
 */
export function shadowBounds(image: RawImage, spec: ShadowSpec): Rect | null {
  const { data, grid } = drawSmall(image, spec);
  const box = boundsOf(Float32Array.from(data), grid.w, grid.h, SUBJECT_THRESHOLD);
  if (!box) return null;
  // One cell of slack each way: the upscaled edge falls off across a cell.
  const left = Math.max(0, (box.left - 1) * grid.f);
  const top = Math.max(0, (box.top - 1) * grid.f);
  const right = Math.min(image.width, (box.right + 1) * grid.f);
  const bottom = Math.min(image.height, (box.bottom + 1) * grid.f);
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * Draws the shadow of `image`'s alpha under it, in place (RGBA, straight alpha): where the subject
 * is transparent the pixel becomes black with the shadow's alpha; partial subject pixels are
 * composed over it. The grid is scaled up bilinearly inside the compose loop, over the shadow's
 * cells only and only where the subject is not opaque, so no full-size shadow plane is ever made.
 */
export async function addShadow(image: RawImage, spec: ShadowSpec): Promise<void> {
  if (image.channels !== 4) throw new Error('addShadow needs an RGBA image.');
  const small = drawSmall(image, spec);
  if (small.region) composeUnder(image, small.data, small.grid, small.region);
}

/** Shadow strengths on the grid, scaled up bilinearly, under the subject of `image`, in place. */
function composeUnder(image: RawImage, plane: Uint8Array, grid: Grid, cells: Box): void {
  const { width, height, data } = image;
  const { w, h, f } = grid;
  // Output pixels whose bilinear footprint touches a shadow cell.
  const x0 = Math.max(0, (cells.left - 1) * f);
  const x1 = Math.min(width, (cells.right + 1) * f);
  const y0 = Math.max(0, (cells.top - 1) * f);
  const y1 = Math.min(height, (cells.bottom + 1) * f);
  // Per column: the left cell and the weight of the right one (cell centres at (i + 0.5)·f).
  const colCell = new Int32Array(x1 - x0);
  const colNext = new Int32Array(x1 - x0);
  const colWeight = new Float32Array(x1 - x0);
  for (let x = x0; x < x1; x++) {
    const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / f - 0.5));
    const c = Math.floor(sx);
    colCell[x - x0] = c;
    colNext[x - x0] = Math.min(w - 1, c + 1);
    colWeight[x - x0] = sx - c;
  }
  for (let y = y0; y < y1; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const r0 = Math.floor(sy);
    const wy = sy - r0;
    const top = r0 * w;
    const bottom = Math.min(h - 1, r0 + 1) * w;
    let o = (y * width + x0) * 4;
    for (let i = 0; i < x1 - x0; i++, o += 4) {
      const a = data[o + 3]!;
      if (a === 255) continue;
      const c = colCell[i]!;
      const n = colNext[i]!;
      const wx = colWeight[i]!;
      const upper = plane[top + c]! + (plane[top + n]! - plane[top + c]!) * wx;
      const lower = plane[bottom + c]! + (plane[bottom + n]! - plane[bottom + c]!) * wx;
      const s = Math.round(upper + (lower - upper) * wy);
      if (s === 0) continue;
      if (a === 0) {
        data[o] = 0;
        data[o + 1] = 0;
        data[o + 2] = 0;
        data[o + 3] = s;
        continue;
      }
      // Subject (straight colour c, alpha a) over black of alpha s.
      const out = a + (s * (255 - a)) / 255;
      const k = a / out;
      data[o] = Math.round(data[o]! * k);
      data[o + 1] = Math.round(data[o + 1]! * k);
      data[o + 2] = Math.round(data[o + 2]! * k);
      data[o + 3] = Math.round(out);
    }
  }
}
