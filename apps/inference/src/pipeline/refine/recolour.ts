// Foreground colours again for one region after its alpha changed (a person's erase or restore
// strokes): the same blur-fusion estimate refineAlpha runs for the whole image (decontaminate.ts),
// here on a crop around the changed pixels with the edited alpha, so a restored edge carries the
// subject's colour and no halo of the old background.
import type { RawImage } from '../raw.ts';
import { fromRaw, toRaw } from '../raw.ts';
import { decontaminate } from './decontaminate.ts';
import { DEFAULT_REFINE } from './index.ts';

/**
 * Corrects the colours of `image`'s semi-transparent pixels (by `alpha`) in place. `image` holds the
 * photo's original colours (3 or 4 channels, RGB first); `alpha` is one byte per pixel, same size.
 */
export async function recolour(image: RawImage, alpha: Uint8Array, workPixels = DEFAULT_REFINE.colourWorkPixels) {
  const { width, height } = image;
  const k = width * height > workPixels ? Math.sqrt(workPixels / (width * height)) : 1;
  const sw = Math.max(1, Math.round(width * k));
  const sh = Math.max(1, Math.round(height * k));
  const alphaImage: RawImage = {
    data: Buffer.from(alpha.buffer, alpha.byteOffset, alpha.byteLength),
    width,
    height,
    channels: 1,
  };
  const [smallImage, smallAlpha] =
    k === 1
      ? [image, alphaImage]
      : await Promise.all([
          // Nearest is enough for the colours (the estimate box-blurs them over ≥ 7×7); the alpha as refineAlpha shrinks it.
          toRaw(
            (image.channels === 4 ? fromRaw(image).removeAlpha() : fromRaw(image)).resize(sw, sh, {
              fit: 'fill',
              kernel: 'nearest',
            }),
          ),
          toRaw(fromRaw(alphaImage).resize(sw, sh, { fit: 'fill', kernel: 'lanczos3' })),
        ]);
  decontaminate({
    rgb: image.data,
    channels: image.channels,
    width,
    height,
    alpha,
    smallRgb: smallImage.data,
    smallChannels: smallImage.channels,
    smallAlpha: smallAlpha.data,
    smallWidth: smallImage.width,
    smallHeight: smallImage.height,
  });
}
