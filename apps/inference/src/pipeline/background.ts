// bg_color and background images: the cut-out composited over them. A background image is
// decoded straight at the canvas size (scaled to cover it, centred), so a 50 MP background behind
// a preview costs a preview's pixels, not 200 MB.
import sharp from 'sharp';
import { RenderError } from '@bgr/inference-client/errors';
import { MAX_INPUT_PIXELS } from '@bgr/inference-client/options';
import type { Rgba } from './options/values.ts';
import type { RawImage } from './raw.ts';
import { fromRaw, toRaw } from './raw.ts';

/** The cut-out over a solid colour (which may itself be semi-transparent). */
export async function overColor(rgba: RawImage, color: Rgba): Promise<RawImage> {
  if (color.alpha >= 1)
    return toRaw(
      fromRaw(rgba)
        .flatten({ background: { r: color.r, g: color.g, b: color.b } })
        .ensureAlpha(),
    );
  return toRaw(
    sharp({
      create: { width: rgba.width, height: rgba.height, channels: 4, background: color },
      limitInputPixels: false,
    }).composite([{ input: rgba.data, raw: { width: rgba.width, height: rgba.height, channels: 4 } }]),
  );
}

/**
 * The background image decoded at exactly width×height: scaled to cover, centred, 8-bit sRGB
 * RGBA. The resize runs inside the decode, so JPEG and WebP shrink on load. Strict like the
 * upload's decode: a damaged file is failed_to_read_image.
 */
export async function decodeBackground(bytes: Uint8Array, width: number, height: number): Promise<RawImage> {
  try {
    const img = await toRaw(
      sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
        .autoOrient()
        .toColourspace('srgb')
        .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
        .ensureAlpha(),
    );
    if (img.channels !== 4 || img.width !== width || img.height !== height)
      throw new Error('unexpected background shape');
    return img;
  } catch {
    throw new RenderError(
      'failed_to_read_image',
      'The background image could not be decoded; it is damaged or incomplete.',
    );
  }
}

/** The cut-out over a background already at its size (decodeBackground). */
export async function overImage(rgba: RawImage, background: RawImage): Promise<RawImage> {
  if (background.width !== rgba.width || background.height !== rgba.height)
    throw new Error('The background must be decoded at the canvas size.');
  return toRaw(
    fromRaw(background).composite([{ input: rgba.data, raw: { width: rgba.width, height: rgba.height, channels: 4 } }]),
  );
}
