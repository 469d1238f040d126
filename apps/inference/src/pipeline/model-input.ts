// The model's input: the whole image squeezed to S×S with a properly filtered resize (lanczos3 in
// sharp, never point sampling), transparent pixels flattened onto white, then normalised to
// Float32 NCHW as (x/255 - mean) / std. Only this S×S tensor is ever Float32.
// It decodes the upload in its own sharp pipeline (streamed, no full-size copy in JS), which can
// run while the working-size image is decoded for the output.
import sharp from 'sharp';
import { RenderError } from '@bgr/inference-client/errors';
import type { ModelConfig } from '../model/registry.ts';
import { MAX_INPUT_PIXELS } from '@bgr/inference-client/options';
import type { ProbeResult } from './decode.ts';

export type ModelInputConfig = Pick<ModelConfig, 'inputSize' | 'mean' | 'std'>;

export async function modelInputFromBytes(
  bytes: Uint8Array,
  info: ProbeResult,
  config: ModelInputConfig,
): Promise<Float32Array> {
  const s = config.inputSize;
  let pixels: Buffer;
  try {
    let p = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
      .autoOrient()
      .toColourspace('srgb');
    if (info.hasAlpha) p = p.flatten({ background: '#ffffff' });
    // JPEG shrink-on-load (libjpeg's DCT scaling) decodes big photos at ½ or ¼ size, leaving the
    // rest to lanczos3. sharp only uses it when both axes shrink by ≥ 3 (≥ 3072 px per side for a
    // 1024² input), so images below 2048 px decode exactly as before. Not for WebP: there
    // fastShrinkOnLoad would scale on load at any shrink factor and change small images.
    const fastShrinkOnLoad = info.format === 'jpeg';
    pixels = await p
      .resize(s, s, { fit: 'fill', kernel: 'lanczos3', fastShrinkOnLoad })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch {
    throw new RenderError('failed_to_read_image', 'The image could not be decoded; it is damaged or incomplete.');
  }
  return normalise(pixels, config);
}

/** Interleaved RGB bytes (S×S×3) → planar Float32 (x/255 - mean) / std. */
export function normalise(pixels: Uint8Array, config: ModelInputConfig): Float32Array {
  const plane = config.inputSize * config.inputSize;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * config.std[c]!);
    const offset = config.mean[c]! / config.std[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = pixels[i * 3 + c]! * scale - offset;
  }
  return out;
}
