/**
 * The editor's picture, kept in plain arrays so painting costs only what changed: `committed` is
 * the model's mask with every finished stroke applied, the stroke under the pointer is painted
 * again onto a copy of it each frame (one stroke, exactly as the server will paint it: its
 * segments never compound), a new stroke or a redo is applied on top, and only an undo (or any
 * other change to the past) recomputes from the model's mask. `rgba` is what the canvas shows;
 * each change reports the box of pixels to copy to the screen. No DOM here, so it is tested in Node.
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
    this.live.set(this.committed);
    this.show(box);
    return box;
  }

  /** Paints the stroke being drawn over the finished ones. Returns the box to repaint. */
  preview(stroke: Stroke): ChangedBox | null {
    const before = this.liveBox;
    if (before) this.live.set(this.committed);
    const { changed } = applyStrokes(this.live, this.width, this.height, { strokes: [stroke] });
    this.liveBox = changed;
    const box = union(before, changed);
    this.show(box);
    return box;
  }

  /** Drops the stroke being drawn (a second finger came down, the pointer was cancelled). */
  cancel(): ChangedBox | null {
    const box = this.liveBox;
    if (!box) return null;
    this.live.set(this.committed);
    this.liveBox = null;
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
