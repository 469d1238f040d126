// The three shadow shapes, drawn on the grid (grid.ts) from the subject's alpha and its box. Each
// returns a plane of shadow strength 0..1 (before shadow_opacity). All sizes are fractions of the
// subject's box, so a shadow looks the same on a preview and at 12 MP.
import { type Box, boxBlur, type Grid } from './grid.ts';

/**
 * drop: the alpha moved down-right by 4 % of the subject's height and blurred by 1 % of its size.
 * The blur never reaches further than the offset, so nothing lands above or left of the subject.
 */
export function dropShadow(g: Grid, box: Box): Float32Array {
  const { w, h } = g;
  const size = Math.max(box.right - box.left, box.bottom - box.top);
  const r = Math.max(1, Math.round(0.01 * size));
  const d = Math.max(3 * r + 2, Math.round(0.04 * (box.bottom - box.top)));
  const moved = new Float32Array(w * h);
  for (let y = d; y < h; y++) {
    const src = (y - d) * w;
    const dst = y * w;
    for (let x = d; x < w; x++) moved[dst + x] = g.data[src + x - d]!;
  }
  return boxBlur(moved, w, h, r);
}

/**
 * 3D: the outline cast backwards onto the ground behind the subject, as by a low light in front
 * and to the left: a point at height t above the subject's bottom lands 0.3·t further back (up in
 * the image) and 0.35·t to the right. It fades (to a quarter) and softens with distance; a dark
 * contact band (the bottom 3 % of the subject, spread sideways) sits where the subject meets the ground.
 */
export function castShadow3d(g: Grid, box: Box): Float32Array {
  const { w, h, data } = g;
  const bh = box.bottom - box.top;
  const ground = box.bottom; // first row below the subject
  const depth = 0.3;
  const shear = 0.35;
  const cast = new Float32Array(w * h);
  const top = Math.max(0, Math.floor(ground - depth * bh));
  for (let y = top; y < Math.min(h, ground); y++) {
    const t = (ground - y) / depth; // height on the subject this row shows
    const ys = Math.round(ground - t);
    if (ys < box.top || ys >= h) continue;
    const fade = 1 - 0.75 * (t / bh);
    const dx = Math.round(t * shear);
    const src = ys * w;
    for (let x = Math.max(0, dx); x < w; x++) cast[y * w + x] = data[src + x - dx]! * fade;
  }
  // Softer with distance: blend a sharp and a soft copy by height above the ground.
  const near = boxBlur(cast, w, h, Math.max(1, Math.round(0.005 * bh)));
  const far = boxBlur(cast, w, h, Math.max(1, Math.round(0.03 * bh)));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const k = Math.min(1, Math.max(0, (ground - y) / (depth * bh)));
    for (let x = 0, o = y * w; x < w; x++, o++) out[o] = near[o]! * (1 - k) + far[o]! * k;
  }
  const contact = contactBand(g, box, 0.03, 0.015);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]! * 0.8, contact[i]!);
  return out;
}

/**
 * car: a contact shadow under the car. The bottom 15 % of the alpha (wheels and sills) gives the
 * width of a flat ellipse centred on the ground line; the bottom 3 % (where the wheels touch)
 * gives a dense core. The ellipse is half as dark as the core.
 */
export function carShadow(g: Grid, box: Box): Float32Array {
  const { w, h, data } = g;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const bandTop = Math.floor(box.bottom - 0.15 * bh);
  let left = w,
    right = -1;
  for (let y = Math.max(0, bandTop); y < box.bottom; y++)
    for (let x = box.left; x < box.right; x++)
      if (data[y * w + x]! >= 0.5) {
        if (x < left) left = x;
        if (x > right) right = x;
      }
  const out = new Float32Array(w * h);
  if (right < 0) return out;
  const cx = (left + right + 1) / 2;
  const ax = ((right + 1 - left) / 2) * 1.03;
  const ay = Math.max(1, 0.05 * bh);
  const cy = box.bottom - 0.01 * bh;
  for (let y = Math.max(0, Math.floor(cy - ay)); y < Math.min(h, Math.ceil(cy + ay)); y++) {
    const vy = (y + 0.5 - cy) / ay;
    for (let x = Math.max(0, Math.floor(cx - ax)); x < Math.min(w, Math.ceil(cx + ax)); x++) {
      const vx = (x + 0.5 - cx) / ax;
      if (vx * vx + vy * vy <= 1) out[y * w + x] = 0.5;
    }
  }
  const ellipse = boxBlur(out, w, h, Math.max(1, Math.round(0.02 * bw)));
  const core = contactBand(g, box, 0.03, 0.01);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(ellipse[i]!, core[i]!);
  return out;
}

/**
 * The bottom `band` (fraction of the height) of the alpha, pushed down by half its height and
 * blurred sideways by `spread` of the subject's width: the dark line where the subject stands.
 */
function contactBand(g: Grid, box: Box, band: number, spread: number): Float32Array {
  const { w, h, data } = g;
  const bh = box.bottom - box.top;
  const rows = Math.max(1, Math.round(band * bh));
  const drop = Math.max(1, Math.round(rows / 2));
  const out = new Float32Array(w * h);
  for (let y = box.bottom - rows; y < box.bottom; y++) {
    const dy = y + drop;
    if (y < 0 || dy >= h) continue;
    for (let x = box.left; x < box.right; x++) out[dy * w + x] = data[y * w + x]!;
  }
  const r = Math.max(1, Math.round(spread * (box.right - box.left)));
  return boxBlur(out, w, h, r, 2);
}
