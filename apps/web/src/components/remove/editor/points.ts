/**
 * The points of a stroke as they are stored: normalised to the image's width and height, rounded
 * to 5 decimals (a hundred-thousandth of a side: below a pixel of any image the service accepts),
 * and thinned while the person paints, so a pointer that reports 120 moves a second does not fill
 * the 256 KB document. A point is kept only once it is a fraction of the brush's radius away from
 * the last one kept; the brush is round, so what lies between is covered by the segment anyway.
 */

/** A kept point is at least this fraction of the radius from the previous one. */
export const THIN_FRACTION = 0.2;

export function roundCoord(v: number): number {
  // Inside the image (a brush centred outside it would paint nothing the server keeps).
  const clamped = Math.min(1, Math.max(0, v));
  return Math.round(clamped * 1e5) / 1e5;
}

/**
 * Distance between two normalised points in units of the image's longer side (the unit of a
 * stroke's radius), so thinning is the same along the short and the long side.
 */
export function distanceInLongSides(
  a: { x: number; y: number },
  b: { x: number; y: number },
  size: { w: number; h: number },
): number {
  const long = Math.max(size.w, size.h);
  return Math.hypot(((a.x - b.x) * size.w) / long, ((a.y - b.y) * size.h) / long);
}

/** Builds one stroke's flat [x, y, …] list as the pointer moves. */
export class PointThinner {
  readonly points: number[] = [];
  /** The newest position seen but not kept (kept at the end so the stroke ends where the pointer did). */
  private pending: { x: number; y: number } | null = null;

  constructor(
    private readonly radius: number,
    private readonly size: { w: number; h: number },
  ) {}

  /** Adds a position; true when it was kept (the stroke grew). */
  add(x: number, y: number): boolean {
    const p = { x: roundCoord(x), y: roundCoord(y) };
    const n = this.points.length;
    if (n === 0) {
      this.points.push(p.x, p.y);
      return true;
    }
    const last = { x: this.points[n - 2]!, y: this.points[n - 1]! };
    if (distanceInLongSides(last, p, this.size) < this.radius * THIN_FRACTION) {
      this.pending = p;
      return false;
    }
    this.points.push(p.x, p.y);
    this.pending = null;
    return true;
  }

  /** Keeps the last position if it was thinned away; true when the stroke grew. */
  finish(): boolean {
    const p = this.pending;
    this.pending = null;
    const n = this.points.length;
    if (!p || (p.x === this.points[n - 2] && p.y === this.points[n - 1])) return false;
    this.points.push(p.x, p.y);
    return true;
  }
}
