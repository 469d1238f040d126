// npm run eval -w @bgr/inference [-- --limit N] [--source carvana[,duts]] [--model small] [--out DIR] [--json FILE] [--keep] [--prob-cache DIR]
// Runs the development set of ../shared/eval through this pipeline in-process at full size
// (format png, channels alpha), scores the mattes with the set's own score.mjs, and prints the
// scores next to the baseline table from ../shared/eval/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MaskCache } from '../src/cache/mask-cache.ts';
import { loadRegistry, repoRoot, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { modelMask } from '../src/pipeline/refine/index.ts';
import { readConfig } from '../src/server/config.ts';

const USAGE =
  'usage: npm run eval -w @bgr/inference -- [--limit N] [--source carvana,sod] [--model small] [--out DIR] [--json FILE] [--keep] [--prob-cache DIR]';
let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions();
} catch (err) {
  console.error(
    `eval: ${(err as Error).message}\n${USAGE}\n(from the repo root npm eats flags unless the script passes them after "--")`,
  );
  process.exit(2);
}
const args = parsed.values;

function parseOptions() {
  return parseArgs({
    options: {
      limit: { type: 'string' },
      source: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      set: { type: 'string' },
      keep: { type: 'boolean', default: false },
      // A folder of NAME.f32 files: the raw model output (inputSize² float32) per image, as the
      // quality experiments cache them. Seeds the mask cache so a run takes minutes, not an hour.
      // The first cached image is also run through the model and must match.
      'prob-cache': { type: 'string' },
    },
  });
}

const evalDir = resolve(repoRoot, '..', 'shared', 'eval');
const setDir = resolve(args.set ?? join(evalDir, 'dev'));
if (!existsSync(join(setDir, 'manifest.json'))) {
  console.error(`eval: no development set at ${setDir} (expected ../shared/eval/dev next to the repository).`);
  process.exit(2);
}

interface Item {
  name: string;
  source: string;
  width: number;
  height: number;
}
let items: Item[] = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'));
if (args.source) {
  const wanted = new Set(args.source.split(','));
  items = items.filter((i) => wanted.has(i.source));
}
if (args.limit) items = items.slice(0, Number(args.limit));
if (items.length === 0) {
  console.error('eval: no images match the filters.');
  process.exit(2);
}

// A temporary set holding only the chosen images (score.mjs scores the whole manifest).
const work = mkdtempSync(join(tmpdir(), 'bgr-eval-'));
const subset = join(work, 'set');
mkdirSync(subset);
writeFileSync(join(subset, 'manifest.json'), JSON.stringify(items));
symlinkSync(join(setDir, 'masks'), join(subset, 'masks'));
symlinkSync(join(setDir, 'images'), join(subset, 'images'));
const predDir = resolve(args.out ?? join(work, 'pred'));
mkdirSync(predDir, { recursive: true });

const config = readConfig();
const model = await ModelSession.load(selectModel(loadRegistry(config.modelsFile), args.model ?? config.model), {
  device: config.device,
  threads: config.threads,
  modelsDir: config.modelsDir,
});
const pipeline = new Pipeline(model, new MaskCache(args['prob-cache'] ? 64 * 1024 * 1024 : 0), {}, config.concurrency);
const probCache = args['prob-cache'] ? resolve(args['prob-cache']) : null;
let verified = false;
let seeded = 0;

/** Puts a cached model output for this image into the mask cache (after checking one against the model). */
async function seed(item: Item, bytes: Buffer): Promise<void> {
  if (!probCache) return;
  const file = join(probCache, `${item.name}.f32`);
  if (!existsSync(file)) return;
  const buf = readFileSync(file);
  const prob = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const s = model.config.inputSize;
  if (prob.length !== s * s) throw new Error(`${file} holds ${prob.length} values, expected ${s}×${s}.`);
  for (let i = 0; i < prob.length; i++) prob[i] = Math.min(1, Math.max(0, prob[i]!));
  if (!verified) {
    await pipeline.render({ bytes, options: { size: 'preview', format: 'png', channels: 'alpha' } });
    const { mask: real } = await pipeline.cache.get(pipeline.maskKey(bytes), async () => {
      throw new Error('expected the model output in the cache');
    });
    // The cache keeps the 8-bit mask (modelMask): compare with the cached map through the same step.
    const cached = modelMask(prob, s, s);
    let maxDiff = 0;
    for (let i = 0; i < real.length; i++) maxDiff = Math.max(maxDiff, Math.abs(real[i]! - cached[i]!));
    console.error(`eval: --prob-cache checked on ${item.name}: max |model − cached| = ${maxDiff} / 255`);
    if (maxDiff > 1) {
      console.error(
        "eval: the cached model outputs do not match this pipeline's model input; run without --prob-cache.",
      );
      process.exit(1);
    }
    verified = true;
    return;
  }
  await pipeline.cache.get(pipeline.maskKey(bytes), async () => modelMask(prob, s, s));
  seeded++;
}
const times: number[] = [];
const modelTimes: number[] = [];
const started = Date.now();
for (const [i, item] of items.entries()) {
  const bytes = readFileSync(join(setDir, 'images', `${item.name}.jpg`));
  await seed(item, bytes);
  const t0 = performance.now();
  const out = await pipeline.render({ bytes, options: { size: 'full', format: 'png', channels: 'alpha' } });
  times.push(performance.now() - t0);
  modelTimes.push(out.timings.model ?? 0);
  writeFileSync(join(predDir, `${item.name}.png`), out.body);
  if ((i + 1) % 10 === 0 || i + 1 === items.length) {
    console.error(`eval: ${i + 1}/${items.length} images (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}
await model.release();

const jsonOut = args.json ? resolve(args.json) : join(work, 'scores.json');
const score = spawnSync(
  process.execPath,
  [join(evalDir, 'score.mjs'), '--set', subset, '--pred', predDir, '--json', jsonOut],
  {
    cwd: repoRoot,
    encoding: 'utf8',
  },
);
if (score.status !== 0) {
  console.error(`eval: score.mjs failed:\n${score.stdout}${score.stderr}`);
  process.exit(1);
}

// The baseline table ("## Baseline to beat") from the eval README.
type Row = { n: number; mae: number; iou: number; maxF: number; edgeMae: number; softFrac: number };
const baseline: Record<string, Row> = {};
const readme = readFileSync(join(evalDir, 'README.md'), 'utf8');
const section = readme.split('## Baseline to beat')[1] ?? '';
for (const line of section.split('\n')) {
  const cells = line
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean);
  if (cells.length === 7 && /^\d+$/.test(cells[1]!)) {
    const [name, n, mae, iou, maxF, edgeMae, softFrac] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!baseline[name])
      baseline[name] = { n: +n, mae: +mae, iou: +iou, maxF: +maxF, edgeMae: +edgeMae, softFrac: +softFrac };
  } else if (Object.keys(baseline).length && !line.startsWith('|')) break;
}

const scores = JSON.parse(readFileSync(jsonOut, 'utf8')) as { all: Row; bySource: Record<string, Row> };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const pct = (ours: number, base: number) =>
  base ? `${(((ours - base) / base) * 100).toFixed(1).replace(/^(?!-)/, '+')}%` : '';
const metrics = ['mae', 'iou', 'maxF', 'edgeMae', 'softFrac'] as const;
const lines: string[] = [];
lines.push(`| set | n | ${metrics.map((m) => `${m} (ours / baseline / Δ)`).join(' | ')} |`);
lines.push(`|---|---|${metrics.map(() => '---').join('|')}|`);
const wholeSet = items.length === JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8')).length;
for (const [name, row] of [...Object.entries(scores.bySource), ['all', scores.all] as const]) {
  // The baseline's "all" row is for the whole set; a subset's "all" is not comparable to it.
  const base = name === 'all' && !wholeSet ? undefined : baseline[name];
  const cells = metrics.map((m) => {
    const d = m === 'softFrac' ? 3 : 4;
    return base ? `${row[m].toFixed(d)} / ${base[m].toFixed(d)} / ${pct(row[m], base[m])}` : row[m].toFixed(d);
  });
  lines.push(`| ${name} | ${row.n} | ${cells.join(' | ')} |`);
}
console.log(
  `\nmodel ${model.config.name}, ${items.length} images, render median ${median(times).toFixed(0)} ms (model median ${median(modelTimes).toFixed(0)} ms)`,
);
if (probCache)
  console.log(`(${seeded} model outputs taken from ${probCache}; render times exclude the model for those)`);
if (items.length < 166) console.log('(subset: the baseline columns are for the whole source, so compare with care)');
console.log(lines.join('\n'));
if (args.keep || args.out) console.log(`\nmattes: ${predDir}`);
if (args.json) console.log(`scores: ${jsonOut}`);
if (!args.keep) rmSync(work, { recursive: true, force: true });
