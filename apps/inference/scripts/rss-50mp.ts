// Peak RSS of a 50 MP render: `npx tsx scripts/rss-50mp.ts [jpg|webp|zip|png]` (default jpg).
// One format per process, so VmHWM is that format's peak (model session included).
import { MaskCache } from '../src/cache/mask-cache.ts';
import { loadRegistry, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import type { OutputFormat } from '@bgr/inference-client/options';
import { Pipeline } from '../src/pipeline/render.ts';
import { readConfig } from '../src/server/config.ts';
import { largeJpeg, peakRss } from '../test/support/large.ts';

const format = (process.argv[2] ?? 'jpg') as OutputFormat;
const mb = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
const bytes = await largeJpeg();
const afterInput = await peakRss();
const config = readConfig();
const model = await ModelSession.load(selectModel(loadRegistry(config.modelsFile), config.model), {
  device: 'cpu',
  threads: config.threads,
  modelsDir: config.modelsDir,
});
const pipeline = new Pipeline(model, new MaskCache(config.maskCacheBytes), {}, config.concurrency);
const afterLoad = await peakRss();
const t0 = performance.now();
const out = await pipeline.render({ bytes, options: { size: '50MP', format } });
const ms = performance.now() - t0;
const peak = await peakRss();
console.log(
  JSON.stringify({
    format,
    input: `${(bytes.length / 1e6).toFixed(1)} MB JPEG`,
    output: `${out.width}×${out.height} ${(out.body.length / 1e6).toFixed(1)} MB`,
    ms: Math.round(ms),
    timings: Object.fromEntries(Object.entries(out.timings).map(([k, v]) => [k, Math.round(v ?? 0)])),
    peakAfterGeneratingInput: mb(afterInput),
    peakAfterModelLoad: mb(afterLoad),
    peakRss: mb(peak),
  }),
);
