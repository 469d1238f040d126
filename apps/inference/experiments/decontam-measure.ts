// Edge colour contamination measure (see decontam.ts).
import { boxMean } from '../src/pipeline/refine/box.ts';
import type { ColourPlanes } from '../src/pipeline/refine/foreground.ts';

type Stat = { halo: number; bleed: number; n: number };

export function measure(I: ColourPlanes, F: ColourPlanes, a: Float32Array, w: number, h: number): Stat {
  const n = a.length;
  const r = Math.max(2, Math.round(0.015 * Math.hypot(w, h)));
  const inner = new Float32Array(n),
    outer = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    inner[i] = a[i]! > 0.98 ? 1 : 0;
    outer[i] = a[i]! < 0.02 ? 1 : 0;
  }
  const mi = boxMean(inner, w, h, r),
    mo = boxMean(outer, w, h, r);
  const Fin: Float32Array[] = [],
    Bout: Float32Array[] = [];
  const t = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) t[i] = I[c][i]! * inner[i]!;
    Fin.push(boxMean(t, w, h, r));
    for (let i = 0; i < n; i++) t[i] = I[c][i]! * outer[i]!;
    Bout.push(boxMean(t, w, h, r));
  }
  let halo = 0,
    bleed = 0,
    count = 0;
  for (let i = 0; i < n; i++) {
    const al = a[i]!;
    if (al <= 0.05 || al >= 0.95 || mi[i]! < 0.05 || mo[i]! < 0.05) continue;
    let d2 = 0,
      dot = 0,
      hsum = 0;
    for (let c = 0; c < 3; c++) {
      const fi = Fin[c]![i]! / mi[i]!,
        bo = Bout[c]![i]! / mo[i]!;
      d2 += (bo - fi) ** 2;
      dot += (F[c][i]! - fi) * (bo - fi);
      // Over black (K=0) and over white (K=1) the difference is α·(F − F_in) both times.
      hsum += 2 * al * Math.abs(F[c][i]! - fi);
    }
    if (d2 < 0.03) continue; // no colour contrast, nothing to measure
    halo += (hsum / 6) * 255;
    bleed += Math.min(1, Math.max(0, dot / d2));
    count++;
  }
  return { halo: halo / Math.max(1, count), bleed: bleed / Math.max(1, count), n: count };
}
