// Edge refinement: the model's probability map (1024², stretched over the whole image) and the
// image at the working (output) size → the 8-bit alpha and decontaminated foreground colours.
// A pure function on buffers the pipeline calls; nothing at full size is ever Float32.
//
//   1. keep the main subject: drop blobs far smaller than the largest one (components.ts);
//   2. resample to the output size (libvips' lanczos3 when shrinking; bilinear when enlarging,
//      upsample.ts, with step 3's table in the same pass);
//   3. tone curve on the 8-bit alpha (curve.ts) — narrows the resampled ramp, keeps it soft;
//   4. foreground colours on the soft edge by blur fusion (decontaminate.ts).
// Measured choices and their numbers: apps/inference/experiments/README.md.
import type { RawImage } from '../raw.ts';
import { fromRaw, toRaw } from '../raw.ts';
import { DEFAULT_COMPONENTS, keepMainComponents, type ComponentOptions } from './components.ts';
import { DEFAULT_CURVE, applyLut, curveLut, type CurveOptions } from './curve.ts';
import { decontaminate } from './decontaminate.ts';
import { upsampleBilinear } from './upsample.ts';

export interface RefineInput {
  /** Model probabilities in [0,1], row-major probWidth×probHeight, stretched over the whole image. */
  prob?: Float32Array;
  /** Or the same already through modelMask (what the mask cache keeps): step 1 is then skipped. */
  mask?: Uint8Array;
  probWidth: number;
  probHeight: number;
  /** The image at the working (output) size: 8-bit sRGB RGB or RGBA (channel 4 = the input's alpha). */
  image: RawImage;
  /** Compute decontaminated foreground colours (default true); pass false when only alpha is needed. */
  colours?: boolean;
}

export interface RefineResult {
  /** 1 channel, image.width × image.height. With `colours` (the default) the image's own colour
   * channels have been corrected in place on the soft edge (decontaminated). */
  alpha: RawImage;
}

export interface RefineParams {
  components: ComponentOptions | null;
  curve: CurveOptions | null;
  /** Pixel budget of the working size the colour estimation runs at. */
  colourWorkPixels: number;
}

export const DEFAULT_REFINE: RefineParams = {
  components: DEFAULT_COMPONENTS,
  curve: DEFAULT_CURVE,
  colourWorkPixels: 150_000,
};

export function probToBytes(prob: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(prob.length);
  for (let i = 0; i < prob.length; i++) {
    const v = prob[i]!;
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/**
 * Step 1 and the 8-bit conversion: the model's probabilities → the mask every later step starts
 * from. It depends on the model output alone, so the mask cache keeps this (a render from a cached
 * mask skips the blob search) and at a quarter of the Float32 map's size.
 */
export function modelMask(
  prob: Float32Array,
  probWidth: number,
  probHeight: number,
  params: RefineParams = DEFAULT_REFINE,
): Uint8Array {
  return probToBytes(params.components ? keepMainComponents(prob, probWidth, probHeight, params.components) : prob);
}

/** The largest size ≤ maxPixels with the same aspect (never upscales). */
function fit(width: number, height: number, maxPixels: number): { width: number; height: number } {
  if (width * height <= maxPixels) return { width, height };
  const f = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
}

export async function refineAlpha(input: RefineInput, params: RefineParams = DEFAULT_REFINE): Promise<RefineResult> {
  const { probWidth, probHeight, image } = input;
  const colours = input.colours !== false;
  const work = fit(image.width, image.height, params.colourWorkPixels);
  const same = work.width === image.width && work.height === image.height;
  // libvips work for the colours starts now, on its own threads, while JS builds the alpha: the
  // small working image.
  // Nearest is enough for the working image: the estimate box-blurs its pixels over ≥ 7×7 anyway.
  const smallImageP =
    colours && !same
      ? toRaw(
          (image.channels === 4 ? fromRaw(image).removeAlpha() : fromRaw(image)).resize(work.width, work.height, {
            fit: 'fill',
            kernel: 'nearest',
          }),
        )
      : null;
  smallImageP?.catch(() => {});
  const mask = input.mask ?? (input.prob ? modelMask(input.prob, probWidth, probHeight, params) : null);
  if (!mask || mask.length !== probWidth * probHeight)
    throw new Error('refineAlpha needs prob or mask of probWidth × probHeight values.');
  const small: RawImage = {
    data: Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength),
    width: probWidth,
    height: probHeight,
    channels: 1,
  };
  // lanczos3 when shrinking (antialiased); when enlarging, bilinear measures the same after the
  // curve (carvana mae 0.0176 vs 0.0175) and costs a quarter less at 12 MP.
  const enlarging = image.width > probWidth && image.height > probHeight;
  const lut = params.curve ? curveLut(params.curve) : undefined;
  let alpha: RawImage;
  if (enlarging) {
    alpha = {
      data: upsampleBilinear(small.data, probWidth, probHeight, image.width, image.height, lut),
      width: image.width,
      height: image.height,
      channels: 1,
    };
  } else {
    alpha = await toRaw(fromRaw(small).resize(image.width, image.height, { fit: 'fill', kernel: 'lanczos3' }));
    if (lut) applyLut(alpha.data, lut);
  }
  if (!colours) return { alpha };

  // The colour estimate is smooth (wide box blurs), so it runs at a small working size: the image
  // shrunk once, and the alpha made there from the model map directly (not from the full-size alpha).
  const [smallImage, smallAlpha] = same
    ? [image, alpha]
    : await Promise.all([
        smallImageP!,
        toRaw(fromRaw(small).resize(work.width, work.height, { fit: 'fill', kernel: 'lanczos3' })).then((a) => {
          if (params.curve) applyLut(a.data, curveLut(params.curve));
          return a;
        }),
      ]);
  decontaminate({
    rgb: image.data,
    channels: image.channels,
    width: image.width,
    height: image.height,
    alpha: alpha.data,
    smallRgb: smallImage.data,
    smallChannels: smallImage.channels,
    smallAlpha: smallAlpha.data,
    smallWidth: smallImage.width,
    smallHeight: smallImage.height,
  });
  return { alpha };
}
