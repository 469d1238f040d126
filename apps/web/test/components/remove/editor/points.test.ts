/**
 * A stroke's stored points: rounded, inside the image, thinned to a fraction of the brush radius
 * (measured the same along both sides), and still painting what the full pointer trace paints.
 */
import { describe, expect, it } from 'vitest';
import { applyStrokes, type Stroke } from '@bgr/strokes';
import { distanceInLongSides, PointThinner, roundCoord, THIN_FRACTION } from '~/components/remove/editor/points';

describe('roundCoord', () => {
  it('keeps 5 decimals and stays inside 0..1', () => {
    expect(roundCoord(0.123456789)).toBe(0.12346);
    expect(roundCoord(-0.2)).toBe(0);
    expect(roundCoord(1.3)).toBe(1);
  });
});

describe('PointThinner', () => {
  const size = { w: 600, h: 300 };
  const radius = 0.02;

  /** A wavy pointer trace with a point every pixel. */
  function trace(): { x: number; y: number }[] {
    const out = [];
    for (let i = 0; i <= 400; i++) {
      const px = 100 + i;
      out.push({ x: px / size.w, y: (150 + 60 * Math.sin(i / 40)) / size.h });
    }
    return out;
  }

  it('keeps points a fraction of the radius apart and ends where the pointer did', () => {
    const t = new PointThinner(radius, size);
    const moves = trace();
    for (const p of moves) t.add(p.x, p.y);
    t.finish();
    const pts = t.points;
    // One point every ~2.4 px (0.2 of a 12 px radius) instead of one every pixel.
    expect(pts.length / 2).toBeLessThan(moves.length / 2);
    const last = moves[moves.length - 1]!;
    expect(pts.slice(-2)).toEqual([roundCoord(last.x), roundCoord(last.y)]);
    for (let i = 2; i < pts.length - 2; i += 2) {
      const d = distanceInLongSides({ x: pts[i - 2]!, y: pts[i - 1]! }, { x: pts[i]!, y: pts[i + 1]! }, size);
      expect(d).toBeGreaterThanOrEqual(radius * THIN_FRACTION - 1e-9);
    }
    for (const v of pts) expect(Math.round(v * 1e5) / 1e5).toBe(v);
  });

  it('measures distance in the longer side along both axes', () => {
    // 0.01 of the height of a 600x300 image is 3 px, 0.005 of the longer side.
    expect(distanceInLongSides({ x: 0, y: 0 }, { x: 0, y: 0.01 }, size)).toBeCloseTo(0.005);
    expect(distanceInLongSides({ x: 0, y: 0 }, { x: 0.01, y: 0 }, size)).toBeCloseTo(0.01);
  });

  it('a tap is one point, and finish adds nothing more', () => {
    const t = new PointThinner(radius, size);
    expect(t.add(0.5, 0.5)).toBe(true);
    expect(t.finish()).toBe(false);
    expect(t.points).toEqual([0.5, 0.5]);
  });

  it('paints what the whole trace paints, to within 1 %', () => {
    const moves = trace();
    const t = new PointThinner(radius, size);
    for (const p of moves) t.add(p.x, p.y);
    t.finish();
    const full: Stroke = { mode: 'erase', radius, softness: 0.3, points: moves.flatMap((p) => [p.x, p.y]) };
    const thin: Stroke = { ...full, points: t.points };
    const a = new Uint8Array(size.w * size.h).fill(255);
    const b = new Uint8Array(size.w * size.h).fill(255);
    applyStrokes(a, size.w, size.h, { strokes: [full] });
    applyStrokes(b, size.w, size.h, { strokes: [thin] });
    let painted = 0;
    let differ = 0;
    for (let i = 0; i < a.length; i++) {
      painted += 255 - a[i]!;
      differ += Math.abs(a[i]! - b[i]!);
    }
    expect(painted).toBeGreaterThan(5000 * 255);
    expect(differ / painted).toBeLessThan(0.01);
  });
});
