// Edge refinement: the model's low-resolution probability map → an 8-bit alpha at the working size.
// A pure function the pipeline calls; the QUALITY work owns what happens inside.
// First version: quantise to 8 bits, lanczos3 upsample with sharp.
import type { RawImage } from '../raw.ts';
import { fromRaw, toRaw } from '../raw.ts';

export interface RefineInput {
  /** Model probabilities in [0,1], row-major probWidth×probHeight, stretched over the whole image. */
  prob: Float32Array;
  probWidth: number;
  probHeight: number;
  /** The image at the working (output) size: 8-bit sRGB RGBA (channel 4 = the input's alpha, 255 when it had none). */
  image: RawImage;
}

export interface RefineResult {
  /** 1 channel, image.width × image.height. */
  alpha: RawImage;
  /** Optional foreground colours (3 channels, same size) to use instead of image's, e.g. decontaminated edges. */
  rgb?: RawImage;
}

export function probToBytes(prob: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(prob.length);
  for (let i = 0; i < prob.length; i++) {
    const v = prob[i]!;
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

export async function refineAlpha(input: RefineInput): Promise<RefineResult> {
  const { prob, probWidth, probHeight, image } = input;
  const small: RawImage = { data: probToBytes(prob), width: probWidth, height: probHeight, channels: 1 };
  const alpha = await toRaw(fromRaw(small).resize(image.width, image.height, { fit: 'fill', kernel: 'lanczos3' }));
  return { alpha };
}
