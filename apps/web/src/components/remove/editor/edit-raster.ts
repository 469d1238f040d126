/**
 * The editor's picture, kept in plain arrays so painting costs only what changed: `committed` is
 * the model's mask with every finished stroke applied; the stroke under the pointer is painted
 * over it as it grows, and a new stroke or a redo is applied on top; only an undo (or any other
 * change to the past) recomputes from the model's mask. A growing stroke is repainted only in the
 * box its newest points reach, from `committed`, with the whole stroke's geometry (a pixel takes
 * the most any segment gives it, as the server paints it: segments never compound), so a long
 * scribble costs per frame what its last few points touch. `rgba` is what the canvas shows; each
 * change reports the box of pixels to copy to the screen. No DOM here, so it is tested in Node.
 */
import { applyStrokes, type ChangedBox, type Stroke } from '@bgr/strokes';
import type { EditorPixels } from './load-pixels';

export class EditRaster {
  readonly width: number;
  readonly height: number;
  /** The displayed pixels: colours fixed, alpha = `live`. */
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
  private readonly model: Uint8Array;
  private readonly committed: Uint8Array;
  private readonly live: Uint8Array;
  private applied: readonly Stroke[] = [];
  private liveBox: ChangedBox | null = null;
  /** The stroke painted in `live` over `committed`, if any. */
  private liveStroke: Stroke | null = null;

  constructor(pixels: EditorPixels) {
    this.width = pixels.width;
    this.height = pixels.height;
    this.rgba = new Uint8ClampedArray(pixels.rgba);
    this.model = pixels.modelAlpha;
    this.committed = new Uint8Array(pixels.modelAlpha);
    this.live = new Uint8Array(pixels.modelAlpha);
  }

  get whole(): ChangedBox {
    return { x0: 0, y0: 0, x1: this.width, y1: this.height };
  }

  /** The alpha the canvas shows (for tests and for reading a pixel). */
  alpha(): Uint8Array {
    return this.live;
  }

  /**
   * Brings the picture to `strokes` (the applied history). When they are the strokes already
   * applied plus some new ones, only the new ones are painted; otherwise it starts again from the
   * model's mask. Returns the box to repaint, or null when nothing changed.
   */
  sync(strokes: readonly Stroke[]): ChangedBox | null {
    const old = this.applied;
    const extends_ = strokes.length >= old.length && old.every((s, i) => strokes[i] === s);
    let box: ChangedBox | null;
    if (extends_) {
      if (strokes.length === old.length && !this.liveBox) return null;
      box = applyStrokes(this.committed, this.width, this.height, { strokes: strokes.slice(old.length) }).changed;
    } else {
      this.committed.set(this.model);
      applyStrokes(this.committed, this.width, this.height, { strokes: [...strokes] });
      box = this.whole;
    }
    this.applied = strokes;
    box = union(box, this.liveBox);
    this.liveBox = null;
    this.liveStroke = null;
    this.live.set(this.committed);
    this.show(box);
    return box;
  }

  /** Paints the stroke being drawn over the finished ones. Returns the box to repaint. */
  preview(stroke: Stroke): ChangedBox | null {
    const grown = this.grownFrom(stroke);
    this.liveStroke = stroke;
    if (grown !== null) {
      const box = this.repaintAround(stroke, grown);
      this.liveBox = union(this.liveBox, box);
      this.show(box);
      return box;
    }
    const before = this.liveBox;
    if (before) this.live.set(this.committed);
    const { changed } = applyStrokes(this.live, this.width, this.height, { strokes: [stroke] });
    this.liveBox = changed;
    const box = union(before, changed);
    this.show(box);
    return box;
  }

  /** The index of the first new point when `stroke` is the live stroke with points added, else null. */
  private grownFrom(stroke: Stroke): number | null {
    const old = this.liveStroke;
    if (!old) return null;
    if (old.mode !== stroke.mode || old.radius !== stroke.radius || old.softness !== stroke.softness) return null;
    const n = old.points.length;
    if (stroke.points.length <= n) return null;
    for (let i = 0; i < n; i++) if (old.points[i] !== stroke.points[i]) return null;
    return n / 2;
  }

  /**
   * Paints the whole stroke again, but only inside the box that its points from `first` on
   * (and the segment leading to them) can reach; outside it nothing changed since the last frame.
   */
  private repaintAround(stroke: Stroke, first: number): ChangedBox | null {
    const { width: W, height: H } = this;
    const r = stroke.radius * Math.max(W, H) + 1;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = Math.max(0, first - 1) * 2; i < stroke.points.length; i += 2) {
      const x = stroke.points[i]! * W;
      const y = stroke.points[i + 1]! * H;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const x0 = Math.max(0, Math.floor(minX - r));
    const y0 = Math.max(0, Math.floor(minY - r));
    const x1 = Math.min(W, Math.ceil(maxX + r));
    const y1 = Math.min(H, Math.ceil(maxY + r));
    if (x1 <= x0 || y1 <= y0) return null;
    const cw = x1 - x0;
    const ch = y1 - y0;
    const crop = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++) crop.set(this.committed.subarray((y0 + y) * W + x0, (y0 + y) * W + x1), y * cw);
    // The same stroke in the crop's own normalised coordinates: the same pixels, the same radius.
    const points = new Array<number>(stroke.points.length);
    for (let i = 0; i < points.length; i += 2) {
      points[i] = (stroke.points[i]! * W - x0) / cw;
      points[i + 1] = (stroke.points[i + 1]! * H - y0) / ch;
    }
    const radius = (stroke.radius * Math.max(W, H)) / Math.max(cw, ch);
    applyStrokes(crop, cw, ch, { strokes: [{ ...stroke, radius, points }] });
    for (let y = 0; y < ch; y++) this.live.set(crop.subarray(y * cw, (y + 1) * cw), (y0 + y) * W + x0);
    return { x0, y0, x1, y1 };
  }

  /** Drops the stroke being drawn (a second finger came down, the pointer was cancelled). */
  cancel(): ChangedBox | null {
    const box = this.liveBox;
    if (!box) return null;
    this.live.set(this.committed);
    this.liveBox = null;
    this.liveStroke = null;
    this.show(box);
    return box;
  }

  private show(box: ChangedBox | null) {
    if (!box) return;
    const { width, live, rgba } = this;
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0, i = y * width + box.x0; x < box.x1; x++, i++) rgba[i * 4 + 3] = live[i]!;
    }
  }
}

export function union(a: ChangedBox | null, b: ChangedBox | null): ChangedBox | null {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
