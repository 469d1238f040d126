/**
 * The brush settings and how the sliders map onto them. The size slider is quadratic so the small
 * brushes a fine edge needs get most of its travel; the radius is a fraction of the image's longer
 * side (as stored), shown to people as a diameter in the full-size image's pixels.
 */
import { MAX_RADIUS, MIN_RADIUS } from '@bgr/strokes';

export type Tool = 'erase' | 'restore' | 'pan';
export type Brush = { size: number; softness: number };

/** The size slider runs 1..100. */
export const SIZE_STEPS = 100;
/** The largest brush offered: a fifth of the longer side across (the format allows up to half). */
export const LARGEST_RADIUS = Math.min(MAX_RADIUS, 0.1);
const SMALLEST_RADIUS = Math.max(MIN_RADIUS, 0.002);

export const DEFAULT_BRUSH: Brush = { size: 40, softness: 30 };

export function radiusFor(size: number): number {
  const t = Math.min(SIZE_STEPS, Math.max(1, size)) / SIZE_STEPS;
  return Math.round((SMALLEST_RADIUS + (LARGEST_RADIUS - SMALLEST_RADIUS) * t * t) * 1e5) / 1e5;
}

/** The brush's diameter in the full-size image's pixels, for the slider's label. */
export function diameterPx(size: number, image: { width: number; height: number }): number {
  return Math.max(1, Math.round(2 * radiusFor(size) * Math.max(image.width, image.height)));
}
