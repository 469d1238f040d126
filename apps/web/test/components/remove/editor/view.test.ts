/** Zoom and pan as numbers: the point under the cursor or the fingers stays put, and the picture stays in view. */
import { describe, expect, it } from 'vitest';
import {
  clampView,
  fitSize,
  fittedView,
  MAX_ZOOM,
  panBy,
  pinch,
  toImage,
  toViewport,
  zoomAt,
} from '~/components/remove/editor/view';

const viewport = { w: 800, h: 500 };
const image = { w: 577, h: 433 };
const fit = fitSize(viewport, image);

describe('fitSize and fittedView', () => {
  it('fits the image inside the viewport with its aspect ratio, centred', () => {
    expect(fit.h).toBeCloseTo(500);
    expect(fit.w).toBeCloseTo((577 / 433) * 500);
    const v = fittedView(viewport, fit);
    expect(v.zoom).toBe(1);
    expect(toImage(v, fit, { x: 400, y: 250 })).toEqual({ x: expect.closeTo(0.5), y: expect.closeTo(0.5) });
    expect(toImage(v, fit, { x: v.x, y: 0 })).toEqual({ x: 0, y: expect.closeTo(0, 9) });
  });

  it('is empty for an unmeasured viewport', () => {
    expect(fitSize({ w: 0, h: 0 }, image)).toEqual({ w: 0, h: 0 });
  });
});

describe('zoomAt', () => {
  it('keeps the image point under the anchor where it was', () => {
    const v0 = fittedView(viewport, fit);
    const anchor = { x: 300, y: 120 };
    const before = toImage(v0, fit, anchor);
    const v1 = zoomAt(v0, 2.5, anchor, viewport, fit);
    expect(v1.zoom).toBe(2.5);
    const after = toImage(v1, fit, anchor);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });

  it('stops at 100 % and at the largest zoom, and zooming out recentres', () => {
    const v0 = fittedView(viewport, fit);
    expect(zoomAt(v0, 0.5, { x: 10, y: 10 }, viewport, fit)).toEqual(v0);
    expect(zoomAt(v0, 1000, { x: 10, y: 10 }, viewport, fit).zoom).toBe(MAX_ZOOM);
    const zoomed = zoomAt(v0, 4, { x: 700, y: 400 }, viewport, fit);
    const back = zoomAt(zoomed, 1 / 4, { x: 10, y: 10 }, viewport, fit);
    expect(back.zoom).toBeCloseTo(1);
    expect(back.x).toBeCloseTo(v0.x);
    expect(back.y).toBeCloseTo(v0.y);
  });
});

describe('panBy and clampView', () => {
  it('moves a zoomed picture but never leaves an empty band beside it', () => {
    const v = zoomAt(fittedView(viewport, fit), 3, { x: 400, y: 250 }, viewport, fit);
    const moved = panBy(v, 50, -30, viewport, fit);
    expect(moved.x).toBeCloseTo(v.x + 50);
    expect(moved.y).toBeCloseTo(v.y - 30);
    const far = panBy(v, 10_000, 10_000, viewport, fit);
    expect(far.x).toBe(0);
    expect(far.y).toBe(0);
    const other = panBy(v, -10_000, -10_000, viewport, fit);
    expect(other.x).toBeCloseTo(viewport.w - fit.w * 3);
    expect(other.y).toBeCloseTo(viewport.h - fit.h * 3);
  });

  it('keeps an axis the picture does not fill centred', () => {
    const v = clampView({ zoom: 1, x: 123, y: 45 }, viewport, fit);
    expect(v.x).toBeCloseTo((viewport.w - fit.w) / 2);
    expect(v.y).toBeCloseTo(0, 9);
  });
});

describe('pinch', () => {
  it('moves and scales so the point under the fingers follows them', () => {
    const v0 = zoomAt(fittedView(viewport, fit), 2, { x: 400, y: 250 }, viewport, fit);
    const from = { mid: { x: 380, y: 260 }, dist: 100 };
    const to = { mid: { x: 400, y: 240 }, dist: 150 };
    const under = toImage(v0, fit, from.mid);
    const v1 = pinch(v0, from, to, viewport, fit);
    expect(v1.zoom).toBeCloseTo(3);
    const now = toImage(v1, fit, to.mid);
    expect(now.x).toBeCloseTo(under.x, 9);
    expect(now.y).toBeCloseTo(under.y, 9);
  });
});

describe('toImage and toViewport', () => {
  it('are each other’s inverse under any zoom and pan', () => {
    const v = { zoom: 3.7, x: -512.25, y: -80.5 };
    for (const p of [
      { x: 0, y: 0 },
      { x: 123.5, y: 456.25 },
      { x: 799, y: 1 },
    ]) {
      const back = toViewport(v, fit, toImage(v, fit, p));
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
  });
});
