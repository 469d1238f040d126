/** The brush sliders: sizes inside what the stroke format accepts, growing with the slider. */
import { describe, expect, it } from 'vitest';
import { MAX_RADIUS, MIN_RADIUS, parseEditDocument } from '@bgr/strokes';
import { diameterPx, radiusFor, SIZE_STEPS } from '~/components/remove/editor/brush';

describe('radiusFor', () => {
  it('grows with the slider and stays inside the format’s limits', () => {
    let last = 0;
    for (let s = 1; s <= SIZE_STEPS; s++) {
      const r = radiusFor(s);
      expect(r).toBeGreaterThan(last);
      expect(r).toBeGreaterThanOrEqual(MIN_RADIUS);
      expect(r).toBeLessThanOrEqual(MAX_RADIUS);
      last = r;
      const doc = { version: 1, strokes: [{ mode: 'erase', radius: r, softness: 1, points: [0.5, 0.5] }] };
      expect(parseEditDocument(doc).ok).toBe(true);
    }
  });

  it('labels the brush in the full-size image’s pixels', () => {
    expect(diameterPx(SIZE_STEPS, { width: 4000, height: 3000 })).toBe(Math.round(2 * radiusFor(SIZE_STEPS) * 4000));
    expect(diameterPx(1, { width: 100, height: 50 })).toBeGreaterThanOrEqual(1);
  });
});
