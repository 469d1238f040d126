// Uncompressed 8-bit pixels, row-major, interleaved channels — the one in-memory image type of the
// pipeline. Full-size images stay Uint8 (a 50 MP RGB image is 150 MB; a Float32 copy would be 600 MB).
import sharp from 'sharp';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * A sharp pipeline reading a RawImage (no copy). Single-channel images stay single-channel
 * (sharp would otherwise write greyscale out as 3-channel sRGB).
 */
export function fromRaw(img: RawImage): sharp.Sharp {
  const p = sharp(img.data, {
    raw: { width: img.width, height: img.height, channels: img.channels },
    limitInputPixels: false,
  });
  return img.channels === 1 ? p.toColourspace('b-w') : p;
}

/** Runs a sharp pipeline to a RawImage. */
export async function toRaw(pipeline: sharp.Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}
