/** Synthetic test photos (a subject on a background), made with sharp — never the eval images. */
import sharp from 'sharp';

export async function makePhoto(
  opts: { width?: number; height?: number; format?: 'jpeg' | 'png' | 'webp'; quality?: number } = {},
): Promise<Buffer> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 240;
  const r = Math.round(Math.min(width, height) * 0.3);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9ec5e8"/><stop offset="1" stop-color="#e9f1d2"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2 - r * 0.9}" r="${r * 0.45}" fill="#c4553b"/>
    <rect x="${width / 2 - r * 0.6}" y="${height / 2 - r * 0.4}" width="${r * 1.2}" height="${r * 1.6}" rx="${r * 0.3}" fill="#2f4f8f"/>
  </svg>`;
  const img = sharp(Buffer.from(svg));
  if (opts.format === 'png') return img.png().toBuffer();
  if (opts.format === 'webp') return img.webp().toBuffer();
  return img.jpeg({ quality: opts.quality ?? 88 }).toBuffer();
}
