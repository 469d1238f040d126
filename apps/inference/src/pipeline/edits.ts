// A person's erase/restore strokes (@bgr/strokes) applied to the refined full-size alpha, before the
// input's alpha, the roi, the layout, a shadow or a background. The strokes are painted at the working
// (output) resolution, so a stroke drawn on the preview covers the same part of the HD result; then
// the foreground colours are estimated again on the pixels whose alpha changed, from the photo's
// original colours (refineAlpha corrected the colours in place for the model's alpha, so the region
// the strokes can reach is copied first). Everything outside the changed pixels is left as it was.
import { applyStrokesAsync, type ChangedBox, type EditDocument } from '@bgr/strokes';
import type { Rect } from './options/values.ts';
import type { RawImage } from './raw.ts';
import { recolour } from './refine/recolour.ts';

/** Painting yields to the event loop after this long, so one large edit never stalls the server. */
const SLICE_MS = 25;
/** The work between two looks at the clock (about one unit per pixel touched: well under a millisecond). */
const SLICE_WORK = 1 << 16;

export interface ColourSnapshot {
  rect: Rect;
  /** The rect's pixels, `channels` per pixel, rows packed. */
  data: Buffer;
  channels: number;
}

/**
 * The box the strokes can touch at width×height, grown by `margin` pixels on every side (the colour
 * estimate's context) and clipped to the image; null when nothing can be touched.
 */
export function strokesReach(doc: EditDocument, width: number, height: number, margin: number): Rect | null {
  const longer = Math.max(width, height);
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const s of doc.strokes) {
    const r = s.radius * longer + margin + 1;
    for (let i = 0; i < s.points.length; i += 2) {
      const x = s.points[i]! * width;
      const y = s.points[i + 1]! * height;
      if (x - r < x0) x0 = x - r;
      if (x + r > x1) x1 = x + r;
      if (y - r < y0) y0 = y - r;
      if (y + r > y1) y1 = y + r;
    }
  }
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(width, Math.ceil(x1));
  const bottom = Math.min(height, Math.ceil(y1));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/** How far around the changed pixels the colour estimate looks: the widest brush and 2 % of the longer side. */
export function colourContext(doc: EditDocument, width: number, height: number): number {
  const longer = Math.max(width, height);
  let widest = 0;
  for (const s of doc.strokes) widest = Math.max(widest, s.radius);
  return Math.ceil(widest * longer + 0.02 * longer);
}

/** A packed copy of one rect of an interleaved image. */
export function copyRect(image: RawImage, rect: Rect): ColourSnapshot {
  const c = image.channels;
  const data = Buffer.allocUnsafe(rect.width * rect.height * c);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top + y) * image.width + rect.left) * c;
    image.data.copy(data, y * rect.width * c, from, from + rect.width * c);
  }
  return { rect, data, channels: c };
}

export interface ApplyEditInput {
  doc: EditDocument;
  /** The refined alpha (one channel, the working size); painted in place. Never the cached mask. */
  alpha: RawImage;
  /** The working image whose colours refineAlpha corrected; its changed pixels get new colours. */
  image?: RawImage;
  /** The image's original colours over strokesReach(…, colourContext), taken before refineAlpha. */
  original?: ColourSnapshot | null;
  /** Called between slices of painting; throws to stop (a timed-out render). */
  checkAborted?: () => void;
}

/** Paints the strokes and, given the image and its original colours, redoes the colours where alpha changed. */
export async function applyEdit(input: ApplyEditInput): Promise<ChangedBox | null> {
  const { doc, alpha, image, original } = input;
  const { width, height } = alpha;
  const before = original ? copyRect(alpha, original.rect) : null;
  // Painted in small slices of work (within a stroke, within a row); once a slice runs past
  // SLICE_MS the painting waits for the event loop's next turn, so /healthz, /readyz and other
  // requests are answered while one huge stroke is painted.
  let sliceStart = performance.now();
  const { changed } = await applyStrokesAsync(alpha.data, width, height, doc, {
    sliceWork: SLICE_WORK,
    pause: async () => {
      if (performance.now() - sliceStart <= SLICE_MS) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      input.checkAborted?.();
      sliceStart = performance.now();
    },
  });
  if (!changed || !image || !original || !before) return changed;

  // The crop: the changed box and the context around it, within the copied region.
  const m = colourContext(doc, width, height);
  const o = original.rect;
  const left = Math.max(o.left, changed.x0 - m);
  const top = Math.max(o.top, changed.y0 - m);
  const right = Math.min(o.left + o.width, changed.x1 + m);
  const bottom = Math.min(o.top + o.height, changed.y1 + m);
  const crop: Rect = { left, top, width: right - left, height: bottom - top };
  const c = original.channels;
  const cropImage: RawImage = {
    data: Buffer.allocUnsafe(crop.width * crop.height * c),
    width: crop.width,
    height: crop.height,
    channels: c as RawImage['channels'],
  };
  const cropAlpha = new Uint8Array(crop.width * crop.height);
  for (let y = 0; y < crop.height; y++) {
    const from = ((crop.top - o.top + y) * o.width + (crop.left - o.left)) * c;
    original.data.copy(cropImage.data, y * crop.width * c, from, from + crop.width * c);
    const a = (crop.top + y) * width + crop.left;
    cropAlpha.set(alpha.data.subarray(a, a + crop.width), y * crop.width);
  }
  await recolour(cropImage, cropAlpha);

  // Only the pixels whose alpha the strokes changed take the new colours (the 4th channel, the
  // input's own alpha, stays).
  const ic = image.channels;
  for (let y = changed.y0; y < changed.y1; y++) {
    for (let x = changed.x0; x < changed.x1; x++) {
      const now = alpha.data[y * width + x]!;
      const was = before.data[(y - o.top) * o.width + (x - o.left)]!;
      if (now === was) continue;
      const p = (y * width + x) * ic;
      const q = ((y - crop.top) * crop.width + (x - crop.left)) * c;
      image.data[p] = cropImage.data[q]!;
      image.data[p + 1] = cropImage.data[q + 1]!;
      image.data[p + 2] = cropImage.data[q + 2]!;
    }
  }
  return changed;
}
