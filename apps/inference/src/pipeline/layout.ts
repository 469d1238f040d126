// crop, crop_margin, scale and position, as remove.bg defines them, on the RGBA cut-out.
import sharp from 'sharp';
import { RenderError } from '@bgr/inference-client/errors';
import { MAX_OUTPUT_PIXELS } from '@bgr/inference-client/options';
import type { Margins, Rect } from './options/values.ts';
import { marginPixels } from './options/values.ts';
import type { RawImage } from './raw.ts';
import { fromRaw, toRaw } from './raw.ts';

export interface LayoutOptions {
  crop: boolean;
  margins: Margins | null;
  /** Fraction of the canvas the subject may take, or null for its original size. */
  scale: number | null;
  /** Where the subject sits in the canvas's free space (0..1 each way), or null for "original". */
  position: { x: number; y: number } | null;
}

export const isIdentityLayout = (o: LayoutOptions) => !o.crop && o.scale === null && o.position === null;

/**
 * A crop canvas (the subject plus crop_margin) may not pass MAX_OUTPUT_PIXELS: 50% margins on
 * every side of a 50 MP subject would otherwise allocate a 200 MP (800 MB) canvas. Checked on the
 * subject's real box, before the canvas is allocated: a bound from the image size alone would
 * refuse ordinary requests (a small product in a 24 MP photo with 30% margins).
 */
export function assertCanvasFits(width: number, height: number): void {
  if (width * height <= MAX_OUTPUT_PIXELS) return;
  throw new RenderError(
    'output_too_large',
    `Cropping with this crop_margin would make the result ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); the limit is ${MAX_OUTPUT_PIXELS / 1e6} megapixels. Use a smaller crop_margin or size.`,
  );
}

/**
 * Returns the laid-out RGBA image and where the subject ended up. `box` is the subject's
 * bounding box in `img` (alpha above the foreground threshold).
 */
export async function applyLayout(
  img: RawImage,
  box: Rect,
  o: LayoutOptions,
): Promise<{ image: RawImage; foreground: Rect }> {
  if (isIdentityLayout(o)) return { image: img, foreground: box };
  if (box.width === 0 || box.height === 0) {
    throw new RenderError(
      'unknown_foreground',
      'No foreground was found in the image, so it cannot be cropped, scaled or positioned.',
    );
  }
  // The canvas: the whole image, or the subject's box plus margins when cropping (margins may
  // reach past the image edge; that part is transparent).
  let canvas: Rect = { left: 0, top: 0, width: img.width, height: img.height };
  if (o.crop) {
    const m = o.margins ? marginPixels(o.margins, box.width, box.height) : { top: 0, right: 0, bottom: 0, left: 0 };
    canvas = {
      left: box.left - m.left,
      top: box.top - m.top,
      width: box.width + m.left + m.right,
      height: box.height + m.top + m.bottom,
    };
  }
  assertCanvasFits(canvas.width, canvas.height);

  if (o.scale === null && o.position === null) {
    return {
      image: await cutCanvas(img, canvas),
      foreground: { left: box.left - canvas.left, top: box.top - canvas.top, width: box.width, height: box.height },
    };
  }

  // Scale and/or position: take the subject out and place it on a transparent canvas.
  let subject = await toRaw(fromRaw(img).extract(box));
  let sw = box.width;
  let sh = box.height;
  if (o.scale !== null) {
    const k = Math.min((o.scale * canvas.width) / sw, (o.scale * canvas.height) / sh);
    sw = Math.max(1, Math.min(canvas.width, Math.round(sw * k)));
    sh = Math.max(1, Math.min(canvas.height, Math.round(sh * k)));
    subject = await toRaw(fromRaw(subject).resize(sw, sh, { fit: 'fill', kernel: 'lanczos3' }));
  }
  let left: number;
  let top: number;
  if (o.position) {
    left = Math.round(o.position.x * (canvas.width - sw));
    top = Math.round(o.position.y * (canvas.height - sh));
  } else {
    // "original" position with a scale: keep the subject's centre where it was.
    const cx = box.left - canvas.left + box.width / 2;
    const cy = box.top - canvas.top + box.height / 2;
    left = Math.min(canvas.width - sw, Math.max(0, Math.round(cx - sw / 2)));
    top = Math.min(canvas.height - sh, Math.max(0, Math.round(cy - sh / 2)));
  }
  const image = await toRaw(
    sharp({
      create: { width: canvas.width, height: canvas.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      limitInputPixels: false,
    }).composite([{ input: subject.data, raw: { width: sw, height: sh, channels: 4 }, left, top }]),
  );
  return { image, foreground: { left, top, width: sw, height: sh } };
}

/** The canvas rectangle of img; parts outside img become transparent. */
async function cutCanvas(img: RawImage, c: Rect): Promise<RawImage> {
  const inside = {
    left: Math.max(0, c.left),
    top: Math.max(0, c.top),
    right: Math.min(img.width, c.left + c.width),
    bottom: Math.min(img.height, c.top + c.height),
  };
  let p = fromRaw(img).extract({
    left: inside.left,
    top: inside.top,
    width: inside.right - inside.left,
    height: inside.bottom - inside.top,
  });
  const pad = {
    top: inside.top - c.top,
    left: inside.left - c.left,
    bottom: c.top + c.height - inside.bottom,
    right: c.left + c.width - inside.right,
  };
  if (pad.top || pad.left || pad.bottom || pad.right) {
    // extend() after extract() needs the extract materialised first.
    const cut = await toRaw(p);
    p = fromRaw(cut).extend({ ...pad, background: { r: 0, g: 0, b: 0, alpha: 0 } });
  }
  return toRaw(p);
}
