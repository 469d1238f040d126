// A brush stroke drawn with a pointer arrives as many closely spaced points; painting each segment's
// rounded caps again and again would cost time in proportion to the point count. Points that lie within a
// small fraction of the brush radius of the simplified line (Ramer–Douglas–Peucker) change no visible
// pixel, so they are dropped before painting, and the paint budget is measured on what remains.
import type { EditDocument } from './document';

/** Points closer than this fraction of the radius to the simplified line are dropped. */
const TOLERANCE = 0.02;

/**
 * Simplifies a flat [x0,y0,x1,y1,…] list whose coordinates are already in one unit on both axes
 * (e.g. pixels, or fractions of the longer side). Returns a new flat list; the first and last points stay.
 */
export function simplifyPoints(points: ArrayLike<number>, radius: number): number[] {
  const n = points.length >> 1;
  if (n <= 2) return Array.from(points);
  const tolerance = radius * TOLERANCE;
  const tol2 = tolerance * tolerance;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = points[first * 2]!;
    const ay = points[first * 2 + 1]!;
    const dx = points[last * 2]! - ax;
    const dy = points[last * 2 + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD2 = tol2;
    for (let i = first + 1; i < last; i++) {
      const px = points[i * 2]! - ax;
      const py = points[i * 2 + 1]! - ay;
      let d2: number;
      if (len2 === 0) d2 = px * px + py * py;
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const ex = px - t * dx;
        const ey = py - t * dy;
        d2 = ex * ex + ey * ey;
      }
      if (d2 > worstD2) {
        worstD2 = d2;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i * 2]!, points[i * 2 + 1]!);
  return out;
}

/**
 * What a document paints, in squares of the image's longer side: for each stroke, after simplification,
 * Σ over segments of 2·r·length + π·r² (a lone point paints π·r²). Measured as if the image were square,
 * which is the most any aspect ratio can paint.
 */
export function paintArea(doc: EditDocument): number {
  let area = 0;
  for (const stroke of doc.strokes) {
    const r = stroke.radius;
    const pts = simplifyPoints(stroke.points, r);
    const n = pts.length >> 1;
    const cap = Math.PI * r * r;
    if (n === 1) {
      area += cap;
      continue;
    }
    for (let i = 1; i < n; i++) {
      const dx = pts[i * 2]! - pts[i * 2 - 2]!;
      const dy = pts[i * 2 + 1]! - pts[i * 2 - 1]!;
      area += 2 * r * Math.hypot(dx, dy) + cap;
    }
  }
  return area;
}
