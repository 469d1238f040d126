// A PNG cut-out's fully transparent pixels carry no colour (they are invisible; the photo's
// background left there only made the file bigger and slower to write); every other pixel, and
// the ZIP's color.jpg, keep theirs.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeRgba } from '../../src/pipeline/encode.ts';
import type { RawImage } from '../../src/pipeline/raw.ts';

/** 4×1: opaque red, half-transparent green, transparent blue, transparent white. */
function cutOut(): RawImage {
  const data = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 255, 255, 255, 0]);
  return { data, width: 4, height: 1, channels: 4 };
}

describe('encodeRgba', () => {
  it('writes a PNG whose transparent pixels are zeroed, the others as they were', async () => {
    const { body } = await encodeRgba(cutOut(), 'png');
    const { data } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
    expect([...data]).toEqual([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("keeps the photo's colours under transparent pixels in the ZIP's color.jpg", async () => {
    const big: RawImage = {
      data: Buffer.alloc(64 * 64 * 4).fill(Buffer.from([200, 40, 40, 0])),
      width: 64,
      height: 64,
      channels: 4,
    };
    const { body } = await encodeRgba(big, 'zip');
    const start = body.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
    const { data } = await sharp(body.subarray(start)).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(180); // red, not zeroed
  });
});
