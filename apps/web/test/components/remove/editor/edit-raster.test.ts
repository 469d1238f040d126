/**
 * The editor's picture: the live stroke, a new stroke, undo and redo always show exactly what
 * painting the whole history onto the model's mask gives (what the server paints at HD), while
 * each step touches only what changed.
 */
import { describe, expect, it } from 'vitest';
import { applyStrokes, type Stroke } from '@bgr/strokes';
import { EditRaster } from '~/components/remove/editor/edit-raster';
import type { EditorPixels } from '~/components/remove/editor/load-pixels';

const W = 96;
const H = 64;

/** A model mask: an opaque disc with a soft rim; colours a gradient. */
function pixels(): EditorPixels {
  const modelAlpha = new Uint8Array(W * H);
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const d = Math.hypot(x + 0.5 - 48, y + 0.5 - 32);
      const a = Math.round(255 * Math.min(1, Math.max(0, (24 - d) / 3)));
      modelAlpha[i] = a;
      rgba.set([x * 2, y * 3, 100, a], i * 4);
    }
  }
  return { width: W, height: H, rgba, modelAlpha };
}

function expected(model: Uint8Array, strokes: Stroke[]): Uint8Array {
  const a = new Uint8Array(model);
  applyStrokes(a, W, H, { strokes });
  return a;
}

const erase: Stroke = { mode: 'erase', radius: 0.08, softness: 0.4, points: [0.3, 0.5, 0.5, 0.45, 0.7, 0.55] };
const restore: Stroke = { mode: 'restore', radius: 0.05, softness: 0.2, points: [0.5, 0.1, 0.5, 0.3] };

describe('EditRaster', () => {
  it('paints a growing stroke as the finished stroke, and exactly so once it is committed', () => {
    const px = pixels();
    const r = new EditRaster(px);
    // A long scribble, point by point, as the pointer reports it.
    const points: number[] = [];
    for (let i = 0; i <= 120; i++) points.push(0.2 + 0.6 * (i / 120), 0.5 + 0.25 * Math.sin(i / 9));
    const stroke: Stroke = { mode: 'erase', radius: 0.06, softness: 0.5, points };
    for (let n = 2; n <= points.length; n += 2) r.preview({ ...stroke, points: points.slice(0, n) });
    const exact = expected(px.modelAlpha, [stroke]);
    // While drawing only the newest points' reach is repainted: elsewhere the soft edge may be a
    // few levels off (the stroke's simplification moves by at most 2 % of the radius as it grows).
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(r.alpha()[i]! - exact[i]!));
    expect(worst).toBeLessThanOrEqual(Math.ceil((255 * 0.02) / stroke.softness) + 1);
    // Committing it paints it exactly.
    expect(r.sync([stroke])).not.toBeNull();
    expect(r.alpha()).toEqual(exact);
  });

  it('repaints a short stroke exactly as it grows', () => {
    const px = pixels();
    const r = new EditRaster(px);
    for (let n = 2; n <= erase.points.length; n += 2) r.preview({ ...erase, points: erase.points.slice(0, n) });
    expect(r.alpha()).toEqual(expected(px.modelAlpha, [erase]));
  });

  it('reports only the newest points’ reach while a stroke grows', () => {
    const r = new EditRaster(pixels());
    const points = [0.1, 0.5, 0.2, 0.5, 0.3, 0.5, 0.4, 0.5];
    r.preview({ ...erase, points: points.slice(0, 6) });
    const box = r.preview({ ...erase, points })!;
    // From the previous point (x 0.3) on, plus the brush's reach (0.08 of 96 px) and a pixel.
    expect(box.x0).toBeGreaterThanOrEqual(Math.floor(0.3 * W - 0.08 * W - 1));
    expect(box.x1).toBeLessThanOrEqual(Math.ceil(0.4 * W + 0.08 * W + 1));
  });

  it('undoes back to the model mask and redoes to the same pixels', () => {
    const px = pixels();
    const r = new EditRaster(px);
    r.sync([erase]);
    r.sync([erase, restore]);
    const both = expected(px.modelAlpha, [erase, restore]);
    expect(r.alpha()).toEqual(both);
    r.sync([erase]);
    expect(r.alpha()).toEqual(expected(px.modelAlpha, [erase]));
    r.sync([]);
    expect(r.alpha()).toEqual(px.modelAlpha);
    r.sync([erase]);
    r.sync([erase, restore]);
    expect(r.alpha()).toEqual(both);
  });

  it('a cancelled stroke leaves the finished ones', () => {
    const px = pixels();
    const r = new EditRaster(px);
    r.sync([restore]);
    r.preview(erase);
    expect(r.alpha()).not.toEqual(expected(px.modelAlpha, [restore]));
    const box = r.cancel();
    expect(box).not.toBeNull();
    expect(r.alpha()).toEqual(expected(px.modelAlpha, [restore]));
    expect(r.cancel()).toBeNull();
  });

  it('shows the alpha in the canvas pixels, keeps the colours, and reports the changed box', () => {
    const px = pixels();
    const r = new EditRaster(px);
    const box = r.preview(erase)!;
    const alpha = r.alpha();
    let outside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        expect(r.rgba[i * 4 + 3]).toBe(alpha[i]);
        expect(r.rgba[i * 4]).toBe(px.rgba[i * 4]);
        const inBox = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
        if (!inBox && alpha[i] !== px.modelAlpha[i]) outside++;
      }
    }
    expect(outside).toBe(0);
    // The erase took out the disc's middle.
    expect(alpha[Math.round(0.47 * H) * W + Math.round(0.5 * W)]).toBe(0);
  });

  it('reports nothing to repaint when the history did not change', () => {
    const r = new EditRaster(pixels());
    const strokes = [erase];
    r.sync(strokes);
    expect(r.sync(strokes)).toBeNull();
  });
});
