// Parsers for remove.bg's option strings (roi, crop_margin, scale, position, bg_color).
// Pure functions: each returns a plain value or throws a RenderError with remove.bg's code.
import { RenderError } from '@bgr/inference-client/errors';
import { CSS_COLORS } from './css-colors.ts';

/** A length in remove.bg syntax: "30px", "10%", or a bare number (pixels). */
interface Length {
  value: number;
  unit: 'px' | '%';
}

function parseLength(text: string): Length | null {
  const m = /^(-?\d+(?:\.\d+)?)(px|%)?$/i.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return null;
  return { value, unit: (m[2]?.toLowerCase() as 'px' | '%' | undefined) ?? 'px' };
}

const words = (text: string) =>
  text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * roi: "x1 y1 x2 y2", each in px or % of the image's width/height. Returns the region in pixels of
 * the (EXIF-rotated) input image.
 */
export function parseRoi(text: string, width: number, height: number): Rect {
  const parts = words(text);
  const lengths = parts.map(parseLength);
  if (parts.length !== 4 || lengths.some((l) => l === null)) {
    throw new RenderError(
      'invalid_roi',
      'The roi must be four coordinates "x1 y1 x2 y2", each in px or % (for example "0% 0% 100% 100%").',
    );
  }
  const [x1, y1, x2, y2] = lengths.map((l, i) => {
    const extent = i % 2 === 0 ? width : height;
    return l!.unit === '%' ? (l!.value / 100) * extent : l!.value;
  }) as [number, number, number, number];
  if ([x1, x2].some((x) => x < 0 || x > width) || [y1, y2].some((y) => y < 0 || y > height)) {
    throw new RenderError('roi_exceeds_bounds', `The roi "${text}" reaches outside the ${width}×${height} image.`);
  }
  const left = Math.round(Math.min(x1, x2));
  const top = Math.round(Math.min(y1, y2));
  const right = Math.round(Math.max(x1, x2));
  const bottom = Math.round(Math.max(y1, y2));
  if (x2 <= x1 || y2 <= y1 || right - left < 1 || bottom - top < 1) {
    throw new RenderError(
      'roi_region_empty',
      `The roi "${text}" encloses no pixels: x2 must be greater than x1 and y2 greater than y1.`,
    );
  }
  return { left, top, width: right - left, height: bottom - top };
}

export interface Margins {
  top: Length;
  right: Length;
  bottom: Length;
  left: Length;
}

/**
 * crop_margin: one value (all sides), two (top/bottom, left/right) or four (top, right, bottom,
 * left), each in px or % of the subject's size; at most 50% or 500px per side.
 */
export function parseCropMargin(text: string): Margins {
  const parts = words(text);
  const lengths = parts.map(parseLength);
  const bad = () =>
    new RenderError(
      'invalid_crop_margin',
      'The crop_margin must be 1, 2 or 4 values in px or % (for example "30px" or "10%"), each between 0 and 50% or 500px.',
    );
  if (![1, 2, 4].includes(parts.length) || lengths.some((l) => l === null)) throw bad();
  for (const l of lengths) {
    if (l!.value < 0 || (l!.unit === '%' && l!.value > 50) || (l!.unit === 'px' && l!.value > 500)) throw bad();
  }
  const [a, b = a, c = a, d = b] = lengths as Length[];
  return { top: a!, right: b!, bottom: c!, left: d! };
}

/** Resolves margins to pixels for a subject box of the given size. */
export function marginPixels(m: Margins, subjectWidth: number, subjectHeight: number) {
  const px = (l: Length, extent: number) => Math.round(l.unit === '%' ? (l.value / 100) * extent : l.value);
  return {
    top: px(m.top, subjectHeight),
    right: px(m.right, subjectWidth),
    bottom: px(m.bottom, subjectHeight),
    left: px(m.left, subjectWidth),
  };
}

/** scale: "original" → null, or "10%".."100%" → a fraction of the canvas. */
export function parseScale(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'original') return null;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(t);
  const v = m ? Number(m[1]) : NaN;
  if (!(v >= 10 && v <= 100))
    throw new RenderError('invalid_scale', 'The scale must be "original" or a percentage from 10% to 100%.');
  return v / 100;
}

/** position: "original" → null, "center", or "x%" / "x% y%" (0%–100%) → fractions of the free space. */
export function parsePosition(text: string): { x: number; y: number } | null {
  const t = text.trim().toLowerCase();
  if (t === 'original') return null;
  if (t === 'center') return { x: 0.5, y: 0.5 };
  const parts = words(t);
  const values = parts.map((p) => {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(p);
    return m ? Number(m[1]) : NaN;
  });
  if (![1, 2].includes(parts.length) || values.some((v) => !(v >= 0 && v <= 100))) {
    throw new RenderError(
      'invalid_position',
      'The position must be "original", "center", or one or two percentages from 0% to 100% (horizontal, vertical).',
    );
  }
  const [x, y = x] = values as [number, number?];
  return { x: x / 100, y: y! / 100 };
}

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  alpha: number;
}

/** bg_color: hex with 3, 4, 6 or 8 digits (with or without "#"), or a CSS colour name. */
export function parseBgColor(text: string): Rgba {
  const t = text.trim().toLowerCase();
  const named = CSS_COLORS.get(t);
  const hex = named ?? t.replace(/^#/, '');
  if (!/^[0-9a-f]+$/.test(hex) || ![3, 4, 6, 8].includes(hex.length)) {
    throw new RenderError(
      'invalid_bg_color',
      'The bg_color must be a hex colour with 3, 4, 6 or 8 digits (for example "81d4fa" or "fff") or a colour name (for example "green").',
    );
  }
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const byte = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), alpha: full.length === 8 ? byte(3) / 255 : 1 };
}
