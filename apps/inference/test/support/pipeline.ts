// One real IS-Net session per test file (loading it costs seconds; runs cost more).
import sharp from 'sharp';
import { MaskCache } from '../../src/cache/mask-cache.ts';
import { loadRegistry, selectModel } from '../../src/model/registry.ts';
import { ModelSession } from '../../src/model/session.ts';
import { Pipeline } from '../../src/pipeline/render.ts';

export async function realPipeline(): Promise<Pipeline> {
  const model = await ModelSession.load(selectModel(loadRegistry(''), 'medium'), { device: 'cpu' });
  return new Pipeline(model, new MaskCache(64 * 1024 * 1024));
}

/** Decoded pixels of an encoded result. */
export async function pixels(body: Buffer) {
  const { data, info } = await sharp(body, { limitInputPixels: false }).raw().toBuffer({ resolveWithObject: true });
  // Coordinates are floored: a fractional x (e.g. an odd width / 2) would otherwise shift the
  // byte offset into the middle of a pixel and read the wrong channels.
  const at = (x: number, y: number) => {
    const i = Math.floor(y) * info.width + Math.floor(x);
    return Array.from(data.subarray(i * info.channels, (i + 1) * info.channels));
  };
  return { data, info, at };
}
