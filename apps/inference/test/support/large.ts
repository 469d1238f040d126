// A 50-megapixel JPEG (8660×5773) of the synthetic subject, made by upscaling a small render.
import sharp from 'sharp';
import { subjectImage } from './images.ts';

export const LARGE_W = 8660;
export const LARGE_H = 5773; // 49.99 MP

export async function largeJpeg(seed = 5): Promise<Buffer> {
  const small = await subjectImage({ width: 866, height: 577, seed, format: 'png' });
  return sharp(small, { limitInputPixels: false })
    .resize(LARGE_W, LARGE_H, { kernel: 'cubic' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Peak resident memory of this process so far (VmHWM), in bytes. */
export async function peakRss(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile('/proc/self/status', 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}
