// Synthetic subjects for the shadow and alpha tests, drawn with sharp from SVG: a box standing on
// a floor and a car-like side view (body, cabin, two wheels), as RGBA cut-outs on transparency.
import sharp from 'sharp';
import type { RawImage } from '../../src/pipeline/raw.ts';

export const BOX = { width: 800, height: 600, left: 300, top: 180, right: 500, bottom: 480 };
export const CAR = { width: 1000, height: 600, left: 150, top: 220, right: 870, bottom: 485, bandTop: 445 };

const boxSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${BOX.width}" height="${BOX.height}">
  <rect x="${BOX.left}" y="${BOX.top}" width="${BOX.right - BOX.left}" height="${BOX.bottom - BOX.top}" fill="#c0392b"/></svg>`;

const carSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CAR.width}" height="${CAR.height}">
  <path d="M150 420 L170 330 L330 300 L420 220 L640 220 L740 310 L860 330 L870 420 Z" fill="#2e86de"/>
  <circle cx="300" cy="430" r="55" fill="#222"/><circle cx="720" cy="430" r="55" fill="#222"/></svg>`;

async function raster(svg: string): Promise<RawImage> {
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}

export const boxOnFloor = () => raster(boxSvg);
export const carSide = () => raster(carSvg);

/** A disc with a soft edge 24 px wide (alpha ramps from 255 to 0), like a matted subject. */
export async function softDisc(size = 300): Promise<RawImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
  <defs><radialGradient id="g"><stop offset="0.8" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
  <circle cx="${size / 2}" cy="${size / 2}" r="${size * 0.4}" fill="url(#g)"/></svg>`;
  return raster(svg);
}

export const alphaAt = (img: RawImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3]!;

/** Sum of alpha over a rectangle (right/bottom exclusive). */
export function alphaSum(img: RawImage, left: number, top: number, right: number, bottom: number): number {
  let s = 0;
  for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) s += alphaAt(img, x, y);
  return s;
}

export const copy = (img: RawImage): RawImage => ({ ...img, data: Buffer.from(img.data) });

/** Pixels with alpha strictly between 0 and 255 that have no transparent 4-neighbour. */
export function partialAwayFromRim(img: RawImage): number {
  let n = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const a = alphaAt(img, x, y);
      if (a === 0 || a === 255) continue;
      const rim =
        (x > 0 && alphaAt(img, x - 1, y) === 0) ||
        (x < img.width - 1 && alphaAt(img, x + 1, y) === 0) ||
        (y > 0 && alphaAt(img, x, y - 1) === 0) ||
        (y < img.height - 1 && alphaAt(img, x, y + 1) === 0);
      if (!rim) n++;
    }
  return n;
}
