// Synthetic benchmark photographs: smooth gradients, a subject-like blob, fine texture and mild
// noise, so JPEG sizes and decode costs are realistic (a 50 MP one stays under the 22 MB limit).
// Every call to `variant` changes one pixel, so no cache can recognise a repeated request.
import sharp from 'sharp';

export interface BenchImage {
  width: number;
  height: number;
  raw: Buffer; // RGB
}

/** 3:2 image of about `mp` megapixels. */
export async function synthesize(mp: number): Promise<BenchImage> {
  // Never above mp × 10⁶ pixels: 50 MP is the service's limit.
  const height = Math.floor(Math.sqrt((mp * 1e6) / 1.5));
  let width = Math.round(height * 1.5);
  while (width * height > mp * 1e6) width--;
  // Draw small and let libvips upscale: cheap at 50 MP, smooth like a photo's large structures.
  const sw = 600,
    sh = 400;
  const small = Buffer.alloc(sw * sh * 3);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const o = (y * sw + x) * 3;
      const dx = (x - sw * 0.5) / (sw * 0.22),
        dy = (y - sh * 0.55) / (sh * 0.35);
      const inside = dx * dx + dy * dy < 1;
      small[o] = inside ? 170 + 40 * Math.sin(x / 9) : 200 - y / 4;
      small[o + 1] = inside ? 60 + 30 * Math.cos(y / 7) : 210 - y / 5;
      small[o + 2] = inside ? 50 : 220 - x / 8;
    }
  }
  const raw = await sharp(small, { raw: { width: sw, height: sh, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  // Fine texture + noise at full size (deterministic).
  let seed = 12345;
  for (let i = 0; i < raw.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = ((seed >> 16) % 7) - 3;
    const v = raw[i]! + n;
    raw[i] = v < 0 ? 0 : Math.min(v, 255);
  }
  return { width, height, raw };
}

let counter = 0;
/** A JPEG of the image with one pixel changed (a different file every call). */
export async function variant(img: BenchImage): Promise<Buffer> {
  counter++;
  const i = ((counter * 7919) % (img.width * img.height)) * 3;
  const saved = img.raw[i]!;
  img.raw[i] = (saved + 97 + counter) & 255;
  try {
    return await sharp(img.raw, { raw: { width: img.width, height: img.height, channels: 3 }, limitInputPixels: false })
      .jpeg({ quality: 88 })
      .toBuffer();
  } finally {
    img.raw[i] = saved;
  }
}
