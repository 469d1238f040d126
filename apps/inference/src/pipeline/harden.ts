// semitransparency=false: a hard alpha. Every pixel becomes fully opaque or fully transparent
// (alpha ≥ 128 is the subject), except a 1-pixel anti-aliased rim: subject pixels with a
// transparent 4-neighbour keep a partial alpha (their soft alpha stretched into 128..255) so
// the outline is not jagged. Run at the output resolution, after every resize.
import type { RawImage } from './raw.ts';

export function hardenAlpha(image: RawImage): void {
  if (image.channels !== 4) throw new Error('hardenAlpha needs an RGBA image.');
  const { width, height, data } = image;
  const row = width * 4;
  // One pass in place: a pixel written here stays on its side of 128 (outside → 0, inside → 128..255),
  // so neighbours already visited still tell inside from outside.
  for (let y = 0, o = 3; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      const a = data[o]!;
      if (a === 0) continue;
      if (a < 128) {
        data[o] = 0;
        continue;
      }
      const rim =
        (x > 0 && data[o - 4]! < 128) ||
        (x < width - 1 && data[o + 4]! < 128) ||
        (y > 0 && data[o - row]! < 128) ||
        (y < height - 1 && data[o + row]! < 128);
      const v = rim ? Math.min(255, (a - 64) * 2) : 255;
      if (v !== a) data[o] = v;
    }
  }
}
