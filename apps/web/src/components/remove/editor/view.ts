/**
 * Zoom and pan of the editor's canvas, as plain numbers. The canvas is laid out at the size that
 * fits the viewport (`fit`) and moved with one CSS transform, `translate(x, y) scale(zoom)` from
 * its top-left corner; the same numbers turn a pointer's position into the image's normalised
 * coordinates. Kept apart from React so zooming at the cursor, pinching and clamping are tested
 * without a browser.
 */

export type Size = { w: number; h: number };
export type Point = { x: number; y: number };
/** The transform: translation in viewport pixels, then scale from the canvas's top-left corner. */
export type View = { zoom: number; x: number; y: number };

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 16;

/** The largest size with the image's aspect ratio that fits inside the viewport. */
export function fitSize(viewport: Size, image: Size): Size {
  if (viewport.w <= 0 || viewport.h <= 0 || image.w <= 0 || image.h <= 0) return { w: 0, h: 0 };
  const scale = Math.min(viewport.w / image.w, viewport.h / image.h);
  return { w: image.w * scale, h: image.h * scale };
}

/** The whole image, centred, at zoom 1. */
export function fittedView(viewport: Size, fit: Size): View {
  return { zoom: 1, x: (viewport.w - fit.w) / 2, y: (viewport.h - fit.h) / 2 };
}

/**
 * Keeps the image in view: along an axis where it is smaller than the viewport it is centred,
 * otherwise its edges may not come inside the viewport's edges (no empty band beside it).
 */
export function clampView(view: View, viewport: Size, fit: Size): View {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom));
  const axis = (pos: number, content: number, room: number) =>
    content <= room ? (room - content) / 2 : Math.min(0, Math.max(room - content, pos));
  return { zoom, x: axis(view.x, fit.w * zoom, viewport.w), y: axis(view.y, fit.h * zoom, viewport.h) };
}

/** Zooms by `factor` keeping the image point under `anchor` (viewport pixels) where it is. */
export function zoomAt(view: View, factor: number, anchor: Point, viewport: Size, fit: Size): View {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const k = zoom / view.zoom;
  return clampView(
    { zoom, x: anchor.x - (anchor.x - view.x) * k, y: anchor.y - (anchor.y - view.y) * k },
    viewport,
    fit,
  );
}

export function panBy(view: View, dx: number, dy: number, viewport: Size, fit: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, viewport, fit);
}

/**
 * One step of a two-finger gesture: the fingers' midpoint moved from `from.mid` to `to.mid` and
 * their distance changed from `from.dist` to `to.dist`. The image point under the old midpoint
 * ends up under the new one, scaled by the change in distance.
 */
export function pinch(
  view: View,
  from: { mid: Point; dist: number },
  to: { mid: Point; dist: number },
  viewport: Size,
  fit: Size,
): View {
  const factor = from.dist > 0 ? to.dist / from.dist : 1;
  const moved = { ...view, x: view.x + to.mid.x - from.mid.x, y: view.y + to.mid.y - from.mid.y };
  return zoomAt(moved, factor, to.mid, viewport, fit);
}

/** A viewport point as the image's normalised coordinates (0..1 across each side; may fall outside). */
export function toImage(view: View, fit: Size, p: Point): Point {
  return { x: (p.x - view.x) / view.zoom / fit.w, y: (p.y - view.y) / view.zoom / fit.h };
}

/** The inverse of toImage. */
export function toViewport(view: View, fit: Size, n: Point): Point {
  return { x: view.x + n.x * fit.w * view.zoom, y: view.y + n.y * fit.h * view.zoom };
}

export function cssTransform(view: View): string {
  return `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`;
}
