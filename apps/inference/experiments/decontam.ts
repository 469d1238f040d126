// Measures background colour left in the cut-out's soft edge, before and after foreground
// estimation. For each semi-transparent pixel (0.05 < α < 0.95) near a clear colour contrast
// between the subject's interior (α > 0.98) and the local background (α < 0.02):
//  - halo: composite the cut-out over black and over white and compare with the same composite
//    of the subject's local interior colour: mean |αF + (1−α)K − (αF_in + (1−α)K)| over K ∈ {0,1},
//    in 0..255 units;
//  - bleed: how far F lies towards the local background colour, dot(F−F_in, B−F_in)/|B−F_in|²,
//    0 = subject colour, 1 = background colour.
//   tsx experiments/decontam.ts <inputVariant> [names…]
import sharp from 'sharp';
import { MODEL_SIZE, manifest, imagePath, readCache } from './common.ts';
import { resamplePlane } from './resample.ts';
import { blurFusion, correct, type ColourPlanes } from '../src/pipeline/refine/foreground.ts';

import { measure } from './decontam-measure.ts';

async function main(): Promise<void> {
  const variant = process.argv[2] ?? 'lanczos3';
  const only = process.argv.slice(3);
  const items = manifest().filter((i) => !only.length || only.some((o) => i.name.startsWith(o)));
  const sums = { before: { halo: 0, bleed: 0 }, after: { halo: 0, bleed: 0 } };
  let images = 0;
  for (const item of items) {
    const P = readCache(variant, item.name);
    if (!P) continue;
    const { width: w, height: h } = item;
    const a = resamplePlane(P, MODEL_SIZE, MODEL_SIZE, w, h, 'lanczos3').map((v) => Math.min(1, Math.max(0, v)));
    const rgb = await sharp(imagePath(item)).removeAlpha().raw().toBuffer();
    const n = w * h;
    const I: ColourPlanes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) I[c][i] = rgb[i * 3 + c]! / 255;
    const diag = Math.hypot(w, h);
    const est = blurFusion(I, a, w, h, Math.max(3, Math.round(diag * 0.05)), Math.max(1, Math.round(diag * 0.004)));
    const F: ColourPlanes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < n; i++) F[c][i] = correct(I[c][i]!, a[i]!, est.fg[c][i]!, est.bg[c][i]!);
    const before = measure(I, I, a, w, h);
    const after = measure(I, F, a, w, h);
    if (!before.n) continue;
    images++;
    sums.before.halo += before.halo;
    sums.before.bleed += before.bleed;
    sums.after.halo += after.halo;
    sums.after.bleed += after.bleed;
  }
  const f = (s: { halo: number; bleed: number }): string =>
    `halo=${(s.halo / images).toFixed(2)}/255 bleed=${(s.bleed / images).toFixed(3)}`;
  console.log(
    `images=${images}\nraw photo colours (F = I): ${f(sums.before)}\nblur-fusion foreground:    ${f(sums.after)}`,
  );
}

await main();
