// bg_color and background images: the cut-out composited over them.
import sharp from 'sharp';
import type { Rgba } from './options/values.ts';
import type { RawImage } from './raw.ts';
import { fromRaw, toRaw } from './raw.ts';

/** The cut-out over a solid colour (which may itself be semi-transparent). */
export async function overColor(rgba: RawImage, color: Rgba): Promise<RawImage> {
  if (color.alpha >= 1) return toRaw(fromRaw(rgba).flatten({ background: { r: color.r, g: color.g, b: color.b } }).ensureAlpha());
  return toRaw(
    sharp({ create: { width: rgba.width, height: rgba.height, channels: 4, background: color }, limitInputPixels: false }).composite([
      { input: rgba.data, raw: { width: rgba.width, height: rgba.height, channels: 4 } },
    ]),
  );
}

/** The cut-out over a background image, which is scaled to cover the canvas and centred. */
export async function overImage(rgba: RawImage, background: RawImage): Promise<RawImage> {
  return toRaw(
    fromRaw(background)
      .resize(rgba.width, rgba.height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .ensureAlpha()
      .composite([{ input: rgba.data, raw: { width: rgba.width, height: rgba.height, channels: 4 } }]),
  );
}
