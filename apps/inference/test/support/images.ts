// Synthetic test images, generated with sharp (never copied from the eval set): a subject (a
// shaded disc and a bar, like a simple object) on a plain, slightly graded background.
import sharp from 'sharp';

export interface SubjectOptions {
  width: number;
  height: number;
  /** Subject centre and radius as fractions of the image. */
  cx?: number;
  cy?: number;
  r?: number;
  format?: 'jpeg' | 'png' | 'webp';
  quality?: number;
  /** Seed varies the colours so that bytes differ between calls (defeats the mask cache). */
  seed?: number;
}

export function subjectSvg(o: SubjectOptions): string {
  const { width: w, height: h, cx = 0.5, cy = 0.5, r = 0.28, seed = 0 } = o;
  const m = Math.min(w, h);
  const hue = (seed * 47) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#eef1f4"/><stop offset="1" stop-color="#d9dde2"/></linearGradient>
    <radialGradient id="ball" cx="0.35" cy="0.35" r="0.75"><stop offset="0" stop-color="hsl(${hue},90%,70%)"/><stop offset="1" stop-color="hsl(${hue},85%,28%)"/></radialGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#bg)"/>
  <circle cx="${cx * w}" cy="${cy * h}" r="${r * m}" fill="url(#ball)"/>
</svg>`;
}

/** A subject on a plain background, encoded as JPEG (default), PNG or WebP. */
export async function subjectImage(o: SubjectOptions): Promise<Buffer> {
  const p = sharp(Buffer.from(subjectSvg(o)), { limitInputPixels: false, unlimited: true });
  const format = o.format ?? 'jpeg';
  if (format === 'png') return p.png().toBuffer();
  if (format === 'webp') return p.webp({ quality: o.quality ?? 90 }).toBuffer();
  return p.jpeg({ quality: o.quality ?? 90 }).toBuffer();
}
