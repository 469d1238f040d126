// The product refine (src/pipeline/refine) on cached model outputs: scores its mattes and measures
// edge colour contamination of its foreground colours against the raw photo colours.
//   tsx experiments/product-eval.ts [inputVariant]
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { MODEL_SIZE, OUT, manifest, imagePath, readCache, score, fmt } from './common.ts';
import { refineAlpha } from '../src/pipeline/refine/index.ts';
import type { ColourPlanes } from '../src/pipeline/refine/foreground.ts';
import { measure } from './decontam-measure.ts';

const variant = process.argv[2] ?? 'lanczos3';
const dir = path.join(OUT, `${variant}--product`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const planes = (d: Uint8Array, ch: number, n: number): ColourPlanes => {
  const p: ColourPlanes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) p[c][i] = d[i * ch + c]! / 255;
  return p;
};
const sums = { before: { halo: 0, bleed: 0 }, after: { halo: 0, bleed: 0 }, n: 0 };
let ms = 0;
for (const item of manifest()) {
  const prob = readCache(variant, item.name);
  if (!prob) continue;
  const { data, info } = await sharp(imagePath(item)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { data: Buffer.from(data), width: info.width, height: info.height, channels: 3 as const }; // corrected in place
  const t0 = performance.now();
  const r = await refineAlpha({ prob, probWidth: MODEL_SIZE, probHeight: MODEL_SIZE, image });
  ms += performance.now() - t0;
  await sharp(r.alpha.data, { raw: { width: r.alpha.width, height: r.alpha.height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toFile(path.join(dir, `${item.name}.png`));
  const n = info.width * info.height;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.alpha.data[i]! / 255;
  const I = planes(data, 3, n);
  const before = measure(I, I, a, info.width, info.height);
  const after = measure(I, planes(image.data, 3, n), a, info.width, info.height);
  if (before.n) {
    sums.n++;
    sums.before.halo += before.halo;
    sums.before.bleed += before.bleed;
    sums.after.halo += after.halo;
    sums.after.bleed += after.bleed;
  }
}
let s;
try {
  s = score(dir, `${dir}.json`);
} catch {
  s = JSON.parse(fs.readFileSync(`${dir}.json`, 'utf8'));
}
console.log(`product        all  ${fmt(s.all)}`);
for (const [k, v] of Object.entries(s.bySource as Record<string, any>))
  console.log(`               ${k.slice(0, 4)} ${fmt(v)}`);
const f = (x: { halo: number; bleed: number }): string =>
  `halo=${(x.halo / sums.n).toFixed(2)}/255 bleed=${(x.bleed / sums.n).toFixed(3)}`;
console.log(
  `edge colours over ${sums.n} images: photo colours ${f(sums.before)} → refined ${f(sums.after)}; refine ${(ms / 166).toFixed(0)} ms/image`,
);
