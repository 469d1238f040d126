// Reading the upload: what it is (magic bytes), how big (header only, before any decoding), then
// the full, strict decode (EXIF orientation applied, sRGB, 8-bit, alpha kept when present).
import sharp from 'sharp';
import { RenderError } from '@bgr/inference-client/errors';
import { MAX_INPUT_PIXELS, MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import type { RawImage } from './raw.ts';
import { toRaw } from './raw.ts';

export type InputFormat = 'jpeg' | 'png' | 'webp';

export interface ProbeResult {
  format: InputFormat;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  hasAlpha: boolean;
}

/** Tells JPEG, PNG and WebP apart by their first bytes, whatever the file is called. */
export function sniffFormat(bytes: Uint8Array): InputFormat | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return 'png';
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'webp';
  return null;
}

/**
 * Header-only checks, in the order a person would want them: size, type, readable header,
 * resolution. Never decodes pixels, so a PNG bomb (tiny file, huge dimensions) fails in milliseconds.
 */
export async function probe(bytes: Uint8Array, what = 'image'): Promise<ProbeResult> {
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new RenderError(
      'file_too_large',
      `The ${what} is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1048576} MB.`,
    );
  }
  const format = sniffFormat(bytes);
  if (!format) throw new RenderError('invalid_file_type', `The ${what} is not a JPEG, PNG or WebP file.`);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new RenderError('failed_to_read_image', `The ${what} could not be read; the file looks damaged.`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height)
    throw new RenderError('failed_to_read_image', `The ${what} could not be read; its size is missing.`);
  if ((meta.pages ?? 1) > 1)
    throw new RenderError('invalid_file_type', `The ${what} is animated; only still images are supported.`);
  if (width * height > MAX_INPUT_PIXELS) {
    throw new RenderError(
      'resolution_too_high',
      `The ${what} is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); the limit is ${MAX_INPUT_PIXELS / 1e6} megapixels.`,
    );
  }
  return { format, width, height, hasAlpha: Boolean(meta.hasAlpha) };
}

/**
 * The strict full decode: any truncation or decoder error is failed_to_read_image, so a partial
 * render never happens. Output: 8-bit sRGB RGBA (alpha 255 when the input has none).
 * `resize` optionally downscales inside the same sharp pipeline (lanczos3).
 */
export async function decodeImage(
  bytes: Uint8Array,
  info: ProbeResult,
  resize?: { width: number; height: number },
  what = 'image',
): Promise<RawImage> {
  try {
    let p = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
      .autoOrient()
      .toColourspace('srgb');
    // Always RGBA: the compose stage writes the final alpha into this buffer in place, so a
    // 50 MP image needs no second full-size copy.
    p = p.ensureAlpha();
    if (resize && (resize.width !== info.width || resize.height !== info.height)) {
      p = p.resize(resize.width, resize.height, { fit: 'fill', kernel: 'lanczos3' });
    }
    const img = await toRaw(p);
    if (img.channels !== 4) throw new Error(`unexpected ${img.channels} channels`);
    return img;
  } catch (err) {
    if (err instanceof RenderError) throw err;
    throw new RenderError('failed_to_read_image', `The ${what} could not be decoded; it is damaged or incomplete.`);
  }
}
