// The README's shadow examples: `npx tsx scripts/shadow-examples.ts` (from apps/inference).
// Draws a self-made picture (a toy car on a studio floor, SVG rendered by sharp; no photo is
// needed), saves it as docs/shadows/source.jpg, then cuts it out with the service's own pipeline
// (the configured model) once per shadow type — none, drop, 3D, car — over a light grey
// background so the shadow shows on any page, as small JPEGs in docs/shadows/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RenderOptions } from '@bgr/inference-client/options';
import { MaskCache } from '../src/cache/mask-cache.ts';
import { loadRegistry, repoRoot, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { readConfig } from '../src/server/config.ts';

const W = 900;
const H = 560;
const picture = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs>
    <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#dfe6ee"/><stop offset="1" stop-color="#c9d2dc"/></linearGradient>
    <linearGradient id="body" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f05a46"/><stop offset="0.55" stop-color="#c8321f"/><stop offset="1" stop-color="#7d1d12"/></linearGradient>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#b8d8f0"/><stop offset="1" stop-color="#3d5f7f"/></linearGradient>
    <radialGradient id="tyre"><stop offset="0.55" stop-color="#9aa3ad"/><stop offset="0.62" stop-color="#2a2a2a"/><stop offset="1" stop-color="#111"/></radialGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#wall)"/>
  <rect y="${H * 0.78}" width="100%" height="${H * 0.22}" fill="#bfc8d2"/>
  <path d="M130 380 Q118 330 160 312 L300 290 Q360 215 430 205 L600 205 Q655 210 700 285 L790 300 Q825 310 822 350 L818 385 Q700 392 640 392 L300 392 Q180 392 130 380 Z" fill="url(#body)"/>
  <path d="M330 288 Q375 228 435 222 L520 222 L520 288 Z" fill="url(#glass)"/>
  <path d="M540 222 L598 222 Q640 228 672 288 L540 288 Z" fill="url(#glass)"/>
  <rect x="760" y="318" width="40" height="14" rx="6" fill="#ffe9a8"/>
  <circle cx="280" cy="392" r="58" fill="url(#tyre)"/>
  <circle cx="665" cy="392" r="58" fill="url(#tyre)"/>
</svg>`;

const outDir = join(repoRoot, 'docs', 'shadows');
mkdirSync(outDir, { recursive: true });
const source = await sharp(Buffer.from(picture)).jpeg({ quality: 85 }).toBuffer();
writeFileSync(join(outDir, 'source.jpg'), source);

const config = readConfig();
const model = await ModelSession.load(selectModel(loadRegistry(config.modelsFile), config.model), {
  device: 'cpu',
  threads: config.threads,
  modelsDir: config.modelsDir,
});
const pipeline = new Pipeline(model, new MaskCache(64 * 1024 * 1024));
const shots: [string, RenderOptions][] = [
  ['none', {}],
  ['drop', { shadowType: 'drop' }],
  ['3d', { shadowType: '3D' }],
  ['car', { shadowType: 'car' }],
];
for (const [name, options] of shots) {
  const out = await pipeline.render({
    bytes: source,
    options: { size: 'full', format: 'jpg', bgColor: 'f4f5f7', ...options },
  });
  const file = join(outDir, `${name}.jpg`);
  writeFileSync(file, await sharp(out.body).resize(600).jpeg({ quality: 82 }).toBuffer());
  console.log(`${file}: ${out.width}×${out.height}, shadow ${name}`);
}
await model.release();
