// Scores refinement variants on cached model outputs (run-model.ts first).
//   tsx experiments/refine-eval.ts <inputVariant[+inputVariant2…]> <variantName…>
// Several input variants joined by '+' are averaged (test-time augmentation).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { MODEL_SIZE, OUT, manifest, imagePath, readCache, cacheFile, score, fmt, type Item } from './common.ts';
import { resamplePlane, type Kernel } from './resample.ts';
import { keepMainComponents } from '../src/pipeline/refine/components.ts';
import { guidedCoefficients, applyGuided } from './guided.ts';

type Params = {
  kernel: Kernel; // resampling kernel, 1024² → image size
  logit?: boolean; // interpolate logits, then sigmoid
  gamma?: number; // curve: sigmoid(gamma * logit(p) + bias)
  bias?: number;
  gf?: { r: number; eps: number; mix?: 'all' | 'band' }; // colour guided filter at image size
  gfBefore?: boolean;
  pre?: boolean; // apply the curve at model resolution, before resampling
  cc?: { low: number; high: number; minRatio: number };
};

const VARIANTS: Record<string, Params> = {
  lz: { kernel: 'lanczos3' },
  lin: { kernel: 'linear' },
  cub: { kernel: 'cubic' },
  box: { kernel: 'box' },
  mit: { kernel: 'mitchell' },
  'lz-logit': { kernel: 'lanczos3', logit: true },
  'cub-logit': { kernel: 'cubic', logit: true },
  'lin-logit': { kernel: 'linear', logit: true },
  'lz-g1.5': { kernel: 'lanczos3', gamma: 1.5 },
  'lz-g2': { kernel: 'lanczos3', gamma: 2 },
  'lz-g3': { kernel: 'lanczos3', gamma: 3 },
  'lz-b0.5': { kernel: 'lanczos3', bias: 0.5 },
  'lz-b-0.5': { kernel: 'lanczos3', bias: -0.5 },
  'lz-gf4': { kernel: 'lanczos3', gf: { r: 4, eps: 1e-3 } },
  'lz-gf8': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-3 } },
  'lz-gf4e4': { kernel: 'lanczos3', gf: { r: 4, eps: 1e-4 } },
  'lz-gf4-g2': { kernel: 'lanczos3', gf: { r: 4, eps: 1e-3 }, gamma: 2 },
  'lz-gf8e4-g2': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-4 }, gamma: 2 },
  'lz-gf8e4-g3': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-4 }, gamma: 3 },
  'lz-gf8e4-g4': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-4 }, gamma: 4 },
  'lz-gf4e4-g3': { kernel: 'lanczos3', gf: { r: 4, eps: 1e-4 }, gamma: 3 },
  'lz-gf16e4-g3': { kernel: 'lanczos3', gf: { r: 16, eps: 1e-4 }, gamma: 3 },
  'lz-gf8e5-g3': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-5 }, gamma: 3 },
  'lzl-g2': { kernel: 'lanczos3', logit: true, gamma: 2 },
  'lzl-gf8e4-g3': { kernel: 'lanczos3', logit: true, gf: { r: 8, eps: 1e-4 }, gamma: 3 },
  'lz-gf8e4': { kernel: 'lanczos3', gf: { r: 8, eps: 1e-4 } },
  'lz-g1.5-b0.5': { kernel: 'lanczos3', gamma: 1.5, bias: 0.5 },
  'lz-g1.5-b1': { kernel: 'lanczos3', gamma: 1.5, bias: 1 },
  'lz-g1.5-b1.5': { kernel: 'lanczos3', gamma: 1.5, bias: 1.5 },
  'lz-g2-b0.5': { kernel: 'lanczos3', gamma: 2, bias: 0.5 },
  'lz-g2-b1': { kernel: 'lanczos3', gamma: 2, bias: 1 },
  'lz-g2-b1.5': { kernel: 'lanczos3', gamma: 2, bias: 1.5 },
  'lz-g2.5-b0.5': { kernel: 'lanczos3', gamma: 2.5, bias: 0.5 },
  'lz-g2.5-b1': { kernel: 'lanczos3', gamma: 2.5, bias: 1 },
  'lz-g2.5-b1.5': { kernel: 'lanczos3', gamma: 2.5, bias: 1.5 },
  'lz-g3-b0.5': { kernel: 'lanczos3', gamma: 3, bias: 0.5 },
  'lz-g3-b1': { kernel: 'lanczos3', gamma: 3, bias: 1 },
  'lz-g3-b1.5': { kernel: 'lanczos3', gamma: 3, bias: 1.5 },
  'lzl-g2-b1': { kernel: 'lanczos3', logit: true, gamma: 2, bias: 1 },
  'lin-g2-b1': { kernel: 'linear', gamma: 2, bias: 1 },
  'cub-g2-b1': { kernel: 'cubic', gamma: 2, bias: 1 },
  'lzl-g3-b1': { kernel: 'lanczos3', logit: true, gamma: 3, bias: 1 },
  'lin-g3-b1': { kernel: 'linear', gamma: 3, bias: 1 },
  'cub-g3-b1': { kernel: 'cubic', gamma: 3, bias: 1 },
  'lz-g2-cc0.02': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.1, high: 0.5, minRatio: 0.02 } },
  'lz-g2-b0.5-cc0.02': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.02 } },
  'lz-g2-cc0.05': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'lz-g2-b0.5-cc0.05': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'lz-g2-cc0.1': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.1, high: 0.5, minRatio: 0.1 } },
  'lz-g2-b0.5-cc0.1': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.1 } },
  'lz-g2-cc0.2': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.1, high: 0.5, minRatio: 0.2 } },
  'lz-g2-b0.5-cc0.2': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.2 } },
  'lz-g2-cc0.3': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.1, high: 0.5, minRatio: 0.3 } },
  'lz-g2-b0.5-cc0.3': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.3 } },
  'lz-g2-cc0.1-l0.3': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.3, high: 0.5, minRatio: 0.1 } },
  'lz-g2-cc0.1-l0.02': { kernel: 'lanczos3', gamma: 2, cc: { low: 0.02, high: 0.5, minRatio: 0.1 } },
  'c-g1.5-b0': { kernel: 'lanczos3', gamma: 1.5, bias: 0, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.5-b0-pre': { kernel: 'lanczos3', gamma: 1.5, bias: 0, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.5-b0.5': { kernel: 'lanczos3', gamma: 1.5, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.5-b0.5-pre': {
    kernel: 'lanczos3',
    gamma: 1.5,
    bias: 0.5,
    pre: true,
    cc: { low: 0.1, high: 0.5, minRatio: 0.05 },
  },
  'c-g2-b0': { kernel: 'lanczos3', gamma: 2, bias: 0, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2-b0-pre': { kernel: 'lanczos3', gamma: 2, bias: 0, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2-b0.5': { kernel: 'lanczos3', gamma: 2, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2-b0.5-pre': { kernel: 'lanczos3', gamma: 2, bias: 0.5, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2.5-b0': { kernel: 'lanczos3', gamma: 2.5, bias: 0, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2.5-b0-pre': { kernel: 'lanczos3', gamma: 2.5, bias: 0, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2.5-b0.5': { kernel: 'lanczos3', gamma: 2.5, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g2.5-b0.5-pre': {
    kernel: 'lanczos3',
    gamma: 2.5,
    bias: 0.5,
    pre: true,
    cc: { low: 0.1, high: 0.5, minRatio: 0.05 },
  },
  'c-g3-b0': { kernel: 'lanczos3', gamma: 3, bias: 0, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g3-b0-pre': { kernel: 'lanczos3', gamma: 3, bias: 0, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g3-b0.5': { kernel: 'lanczos3', gamma: 3, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g3-b0.5-pre': { kernel: 'lanczos3', gamma: 3, bias: 0.5, pre: true, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g3-b0.5-pre-logit': {
    kernel: 'lanczos3',
    logit: true,
    gamma: 3,
    bias: 0.5,
    pre: true,
    cc: { low: 0.1, high: 0.5, minRatio: 0.05 },
  },
  'c-g2.5-b0.5-pre-cub': {
    kernel: 'cubic',
    gamma: 2.5,
    bias: 0.5,
    pre: true,
    cc: { low: 0.1, high: 0.5, minRatio: 0.05 },
  },
  'c-g2.5-b0.5-pre-lin': {
    kernel: 'linear',
    gamma: 2.5,
    bias: 0.5,
    pre: true,
    cc: { low: 0.1, high: 0.5, minRatio: 0.05 },
  },
  'c-g1.75-b0': { kernel: 'lanczos3', gamma: 1.75, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.75-b0.5': { kernel: 'lanczos3', gamma: 1.75, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.75-b0.25': { kernel: 'lanczos3', gamma: 1.75, bias: 0.25, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.5-b0.5-lin': { kernel: 'linear', gamma: 1.5, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
  'c-g1.5-b0.5-cub': { kernel: 'cubic', gamma: 1.5, bias: 0.5, cc: { low: 0.1, high: 0.5, minRatio: 0.05 } },
};

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

async function alphaFor(item: Item, P: Float32Array, prm: Params): Promise<Uint8Array> {
  const { width: w, height: h } = item;
  let src = prm.cc ? keepMainComponents(P, MODEL_SIZE, MODEL_SIZE, prm.cc) : P;
  if (prm.pre) {
    const g0 = prm.gamma ?? 1,
      b0 = prm.bias ?? 0;
    src = src.map((v) => sigmoid(g0 * logit(v) + b0));
  }
  if (prm.logit) src = src.map(logit);
  let p = resamplePlane(src, MODEL_SIZE, MODEL_SIZE, w, h, prm.kernel);
  if (prm.logit) p = p.map(sigmoid);
  else for (let i = 0; i < p.length; i++) p[i] = Math.min(1, Math.max(0, p[i]!));
  if (prm.gf) {
    const rgb = await sharp(imagePath(item)).removeAlpha().raw().toBuffer();
    const c = guidedCoefficients(
      rgb,
      3,
      p,
      w,
      h,
      Math.max(1, Math.round((prm.gf.r * Math.hypot(w, h)) / 566)),
      prm.gf.eps,
    );
    const q = applyGuided(rgb, 3, c);
    for (let i = 0; i < p.length; i++) p[i] = Math.min(1, Math.max(0, q[i]!));
  }
  const out = new Uint8Array(w * h);
  const g = prm.pre ? 1 : (prm.gamma ?? 1);
  const b = prm.pre ? 0 : (prm.bias ?? 0);
  for (let i = 0; i < out.length; i++) {
    let a = p[i]!;
    if (g !== 1 || b !== 0) a = sigmoid(g * logit(a) + b);
    out[i] = Math.round(a * 255);
  }
  return out;
}

async function main(): Promise<void> {
  const inputs = process.argv[2]!.split('+');
  const names = process.argv.slice(3);
  // A fixed set for every variant of this run: the images every input variant has cached now.
  const items = manifest().filter((i) => inputs.every((v) => fs.existsSync(cacheFile(v, i.name))));
  const results: string[] = [];
  for (const name of names) {
    const prm = VARIANTS[name];
    if (!prm) throw new Error(`unknown variant ${name}`);
    const dir = path.join(OUT, `${process.argv[2]}--${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const item of items) {
      const maps = inputs.map((v) => readCache(v, item.name));
      if (maps.some((m) => !m)) continue;
      let P = maps[0]!;
      if (maps.length > 1) {
        P = new Float32Array(P.length);
        for (const m of maps) for (let i = 0; i < P.length; i++) P[i]! += m![i]! / maps.length;
      }
      const a = await alphaFor(item, P, prm);
      await sharp(a, { raw: { width: item.width, height: item.height, channels: 1 } })
        .png({ compressionLevel: 1 })
        .toFile(path.join(dir, `${item.name}.png`));
    }
    let s;
    try {
      s = score(dir, `${dir}.json`);
    } catch {
      s = JSON.parse(fs.readFileSync(`${dir}.json`, 'utf8'));
    }
    const line = [`${name.padEnd(14)} all  ${fmt(s.all)}`]
      .concat(
        Object.entries(s.bySource as Record<string, any>).map(
          ([k, v]) => `${''.padEnd(14)} ${k.slice(0, 4)} ${fmt(v)}`,
        ),
      )
      .join('\n');
    console.log(line);
    results.push(line);
  }
}

await main();
