// Throughput of the in-process pipeline with 4 renders in flight (6 MP JPEG → PNG, size=full),
// for session-option variants that matter only under concurrency (thread-pool spinning), each
// in a fresh process, alternated, against the plain session's model-bound rate measured in the
// same process right before and after.  tsx experiments/throughput.ts [--rounds 2] [--images 8]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadRegistry, modelPath, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { readConfig } from '../src/server/config.ts';
import { synthesize, variant } from '../bench/images.ts';

const EXTRA: Record<string, Record<string, string>> = {
  spin: {},
  'no-spin': { 'session.intra_op.allow_spinning': '0' },
};

if (process.env.TP_VARIANT) {
  const extra = EXTRA[process.env.TP_VARIANT]!;
  const create = ort.InferenceSession.create.bind(ort.InferenceSession);
  // Inject the variant's config entries into the service's own session options.
  (ort.InferenceSession as unknown as { create: unknown }).create = (
    file: string,
    opts: ort.InferenceSession.SessionOptions,
  ) => create(file, { ...opts, extra });
  const { modelsDir, threads } = readConfig();
  const config = selectModel(loadRegistry(), 'medium');
  const model = await ModelSession.load(config, { device: 'cpu', threads, modelsDir });
  const pipeline = new Pipeline(model);
  const img = await synthesize(6);
  const images: Buffer[] = [];
  for (let i = 0; i < Number(process.env.TP_IMAGES ?? 8); i++) images.push(await variant(img));
  await pipeline.render({ bytes: await variant(img), options: { size: 'full', format: 'png' } });
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < images.length)
        await pipeline.render({ bytes: images[next++]!, options: { size: 'full', format: 'png' } });
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  await model.release();
  const plain = await ort.InferenceSession.create(modelPath(config, modelsDir), { graphOptimizationLevel: 'all' });
  const s = config.inputSize;
  const feeds = () => ({
    [plain.inputNames[0]!]: new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * s * s }, () => Math.random() - 0.5),
      [1, 3, s, s],
    ),
  });
  await plain.run(feeds());
  await plain.run(feeds());
  const raws: number[] = [];
  for (let i = 0; i < 2; i++) {
    const f = feeds();
    const t0 = performance.now();
    await plain.run(f);
    raws.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ rate: images.length / seconds, bound: 1000 / Math.min(...raws), raws }));
  process.exit(0);
}

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, images: { type: 'string', default: '8' } },
});
for (let r = 0; r < Number(values.rounds); r++) {
  for (const name of Object.keys(EXTRA)) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], {
      env: { ...process.env, TP_VARIANT: name, TP_IMAGES: values.images },
      encoding: 'utf8',
    });
    const line = out.stdout.trim().split('\n').pop() ?? '';
    if (!line.startsWith('{')) {
      console.log(`${name}: failed ${out.stderr.slice(-300)}`);
      continue;
    }
    const res = JSON.parse(line) as { rate: number; bound: number; raws: number[] };
    console.log(
      `${name}: ${res.rate.toFixed(3)} img/s, model-bound ${res.bound.toFixed(3)} (raw ${res.raws.map((m) => (m / 1000).toFixed(2)).join(', ')} s), ratio ${(res.rate / res.bound).toFixed(2)}`,
    );
  }
}
