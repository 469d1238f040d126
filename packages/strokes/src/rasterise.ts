// Paints brush strokes onto a single-channel alpha plane at any size. A stroke covers the pixels near
// its polyline (capsules between consecutive points; a lone point is a dot): coverage is 1 inside the
// hard core, falls linearly to 0 across the soft outer fraction of the radius, and within one stroke a
// pixel takes the most any segment gives it (overlapping segments do not compound). Strokes apply in
// order: erase a → a·(1−c), restore a → a + (255−a)·c. Only the rows of each segment's reach are
// visited and, in each row, only the span the capsule crosses, so the work follows the painted area.
// The painting is written once, as steps that can pause between slices of work: the browser runs
// them straight through (applyStrokes); a server awaits between slices (applyStrokesAsync) so a huge
// stroke on a full-size image leaves its event loop free to answer, with the same bytes as a result.
import type { EditDocument, Stroke } from './document';
import { simplifyPoints } from './simplify';

export type AlphaPlane = Uint8Array | Uint8ClampedArray;
/** Pixel box, half-open: columns x0 ≤ x < x1, rows y0 ≤ y < y1. */
export type ChangedBox = { x0: number; y0: number; x1: number; y1: number };

const BLOCK_ROWS = 32;

class Box {
  x0 = Number.POSITIVE_INFINITY;
  y0 = Number.POSITIVE_INFINITY;
  x1 = Number.NEGATIVE_INFINITY;
  y1 = Number.NEGATIVE_INFINITY;
  add(x: number, y: number) {
    if (x < this.x0) this.x0 = x;
    if (x + 1 > this.x1) this.x1 = x + 1;
    if (y < this.y0) this.y0 = y;
    if (y + 1 > this.y1) this.y1 = y + 1;
  }
  result(): ChangedBox | null {
    return this.x1 > this.x0 ? { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 } : null;
  }
}

/** Work done since the last pause (one unit per pixel measured, filled or written, and per segment visit). */
class Slice {
  work = 0;
  constructor(readonly size: number) {}
}

/** The painting as steps: it pauses (yields) after each slice of work, between two segments of a row. */
function* paintDocument(
  alpha: AlphaPlane,
  width: number,
  height: number,
  doc: Pick<EditDocument, 'strokes'>,
  slice: Slice,
): Generator<void, ChangedBox | null, void> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`applyStrokes: bad size ${width}x${height}`);
  }
  if (alpha.length !== width * height) {
    throw new RangeError(`applyStrokes: ${alpha.length} alpha values for ${width}x${height}`);
  }
  const box = new Box();
  const coverage = new Float32Array(width);
  for (const stroke of doc.strokes) yield* paintStroke(alpha, width, height, stroke, coverage, box, slice);
  return box.result();
}

/**
 * Applies the document's strokes in order to `alpha` (width × height, one byte per pixel), in place.
 * Returns the box of pixels whose value changed, or null when none did.
 */
export function applyStrokes(
  alpha: AlphaPlane,
  width: number,
  height: number,
  doc: Pick<EditDocument, 'strokes'>,
): { changed: ChangedBox | null } {
  // An endless slice never pauses: the steps run to the end in one go.
  const steps = paintDocument(alpha, width, height, doc, new Slice(Number.POSITIVE_INFINITY));
  let step = steps.next();
  while (!step.done) step = steps.next();
  return { changed: step.value };
}

export interface PaintPauses {
  /** Units of work between pauses (about one per pixel touched); default 262,144, a few milliseconds. */
  sliceWork?: number;
  /**
   * Called between slices; painting goes on once what it returns settles, and stops with its error
   * if it throws or rejects. Default: wait for the event loop's next turn (setImmediate, else setTimeout 0).
   */
  pause?: () => void | Promise<void>;
}

const DEFAULT_SLICE_WORK = 1 << 18;

function nextTurn(): Promise<void> {
  const immediate = (globalThis as unknown as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * applyStrokes in slices, for a server painting a full-size image: the same pixels, byte for byte
 * (the same steps run in the same order), but between slices of bounded work — within one stroke,
 * within one row — it waits for `pause`, so one huge stroke never holds the event loop for long.
 * `alpha` must not be touched by anything else until the promise settles.
 */
export async function applyStrokesAsync(
  alpha: AlphaPlane,
  width: number,
  height: number,
  doc: Pick<EditDocument, 'strokes'>,
  pauses: PaintPauses = {},
): Promise<{ changed: ChangedBox | null }> {
  const size = pauses.sliceWork ?? DEFAULT_SLICE_WORK;
  if (!(size > 0)) throw new RangeError(`applyStrokesAsync: bad slice size ${size}`);
  const pause = pauses.pause ?? nextTurn;
  const steps = paintDocument(alpha, width, height, doc, new Slice(size));
  let step = steps.next();
  while (!step.done) {
    await pause();
    step = steps.next();
  }
  return { changed: step.value };
}

function* paintStroke(
  alpha: AlphaPlane,
  width: number,
  height: number,
  stroke: Stroke,
  coverage: Float32Array,
  box: Box,
  slice: Slice,
): Generator<void, void, void> {
  const longer = Math.max(width, height);
  const r = stroke.radius * longer;
  if (!(r > 0)) return;
  const soft = r * stroke.softness;
  const core = r - soft;
  const r2 = r * r;
  const erase = stroke.mode === 'erase';

  const scaled = new Array<number>(stroke.points.length);
  for (let i = 0; i < stroke.points.length; i += 2) {
    scaled[i] = stroke.points[i]! * width;
    scaled[i + 1] = stroke.points[i + 1]! * height;
  }
  const pts = simplifyPoints(scaled, r);
  const n = pts.length >> 1;
  if (n === 0) return;
  const segments = Math.max(1, n - 1);
  const ax = new Float64Array(segments);
  const ay = new Float64Array(segments);
  const bx = new Float64Array(segments);
  const by = new Float64Array(segments);
  for (let s = 0; s < segments; s++) {
    const j = n === 1 ? 0 : s + 1;
    ax[s] = pts[s * 2]!;
    ay[s] = pts[s * 2 + 1]!;
    bx[s] = pts[j * 2]!;
    by[s] = pts[j * 2 + 1]!;
  }

  // Segments by block of rows they can reach.
  const blocks = new Map<number, number[]>();
  for (let s = 0; s < segments; s++) {
    const top = Math.max(0, Math.floor(Math.min(ay[s]!, by[s]!) - r - 0.5));
    const bottom = Math.min(height - 1, Math.ceil(Math.max(ay[s]!, by[s]!) + r - 0.5));
    if (bottom < top) continue;
    for (let b = Math.floor(top / BLOCK_ROWS); b <= Math.floor(bottom / BLOCK_ROWS); b++) {
      const list = blocks.get(b);
      if (list) list.push(s);
      else blocks.set(b, [s]);
    }
  }

  for (const [block, list] of blocks) {
    const rowEnd = Math.min(height, (block + 1) * BLOCK_ROWS);
    for (let y = block * BLOCK_ROWS; y < rowEnd; y++) {
      const yc = y + 0.5;
      let minX = width;
      let maxX = -1;
      for (const s of list) {
        if (slice.work >= slice.size) {
          slice.work = 0;
          yield;
        }
        slice.work++;
        const sax = ax[s]!;
        const say = ay[s]!;
        const dx = bx[s]! - sax;
        const dy = by[s]! - say;
        const len2 = dx * dx + dy * dy;
        const ey = yc - say;
        // Each point's round cap is spanned once: by the segment starting there (and the last end by the last segment).
        const capB = s === segments - 1;
        const [lo, hi] = span(sax, bx[s]!, by[s]!, dx, dy, len2, ey, yc, r, capB);
        if (!(hi >= lo)) continue;
        const xs = Math.max(0, Math.ceil(lo - 0.5 - 1e-9));
        const xe = Math.min(width - 1, Math.floor(hi - 0.5 + 1e-9));
        if (xe < xs) continue;
        slice.work += xe - xs + 1;
        if (xs < minX) minX = xs;
        if (xe > maxX) maxX = xe;
        // The hard core's span is filled without measuring; only the soft ring is measured.
        let cs = xe + 1;
        let ce = xe;
        if (core > 0) {
          const [clo, chi] = span(sax, bx[s]!, by[s]!, dx, dy, len2, ey, yc, core, capB);
          if (chi >= clo) {
            cs = Math.max(xs, Math.ceil(clo - 0.5));
            ce = Math.min(xe, Math.floor(chi - 0.5));
            if (ce >= cs) coverage.fill(1, cs, ce + 1);
            else {
              cs = xe + 1;
              ce = xe;
            }
          }
        }
        for (let x = xs; x <= xe; x++) {
          if (x === cs) {
            x = ce;
            continue;
          }
          if (coverage[x]! >= 1) continue;
          const px = x + 0.5 - sax;
          let t = len2 > 0 ? (px * dx + ey * dy) / len2 : 0;
          if (t < 0) t = 0;
          else if (t > 1) t = 1;
          const ex = px - t * dx;
          const ez = ey - t * dy;
          const d2 = ex * ex + ez * ez;
          if (d2 >= r2) continue;
          const d = Math.sqrt(d2);
          const c = d <= core ? 1 : (r - d) / soft;
          if (c > coverage[x]!) coverage[x] = c;
        }
      }
      const row = y * width;
      if (maxX >= minX) slice.work += maxX - minX + 1;
      for (let x = minX; x <= maxX; x++) {
        const c = coverage[x]!;
        if (c <= 0) continue;
        coverage[x] = 0;
        const a = alpha[row + x]!;
        const next = erase ? Math.round(a * (1 - c)) : Math.round(a + (255 - a) * c);
        if (next !== a) {
          alpha[row + x] = next;
          box.add(x, y);
        }
      }
    }
  }
}

/**
 * The x span where the row through yc crosses the capsule around segment a→b of radius r (without
 * the round cap at b unless `capB`: the next segment's cap at its start covers it).
 */
function span(
  ax: number,
  bx: number,
  by: number,
  dx: number,
  dy: number,
  len2: number,
  ey: number,
  yc: number,
  r: number,
  capB: boolean,
): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  // The round caps.
  if (Math.abs(ey) < r) {
    const h = Math.sqrt(r * r - ey * ey);
    lo = Math.min(lo, ax - h);
    hi = Math.max(hi, ax + h);
  }
  const fy = yc - by;
  if (capB && Math.abs(fy) < r) {
    const h = Math.sqrt(r * r - fy * fy);
    lo = Math.min(lo, bx - h);
    hi = Math.max(hi, bx + h);
  }
  if (len2 === 0) return [lo, hi];
  // The body: 0 ≤ t ≤ 1 and |perpendicular distance| ≤ r, each an interval of x on this row.
  const len = Math.sqrt(len2);
  let tLo: number;
  let tHi: number;
  if (dx !== 0) {
    const p = ax + (-ey * dy) / dx;
    const q = ax + (len2 - ey * dy) / dx;
    tLo = Math.min(p, q);
    tHi = Math.max(p, q);
  } else if (ey * dy >= 0 && ey * dy <= len2) {
    tLo = Number.NEGATIVE_INFINITY;
    tHi = Number.POSITIVE_INFINITY;
  } else return [lo, hi];
  let pLo: number;
  let pHi: number;
  if (dy !== 0) {
    const p = ax + (ey * dx - r * len) / dy;
    const q = ax + (ey * dx + r * len) / dy;
    pLo = Math.min(p, q);
    pHi = Math.max(p, q);
  } else if (Math.abs(ey * dx) <= r * len) {
    pLo = Number.NEGATIVE_INFINITY;
    pHi = Number.POSITIVE_INFINITY;
  } else return [lo, hi];
  const bLo = Math.max(tLo, pLo);
  const bHi = Math.min(tHi, pHi);
  if (bHi >= bLo) {
    lo = Math.min(lo, bLo);
    hi = Math.max(hi, bHi);
  }
  return [lo, hi];
}
