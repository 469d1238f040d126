// Child process of PlainModelBaseline (baseline.ts): a plain ONNX Runtime session, one timed run
// per 'run' message (a fresh random input each time), the first run done before 'ready'.
import * as ort from 'onnxruntime-node';

const [file, sizeArg] = process.argv.slice(2);
const s = Number(sizeArg);
const session = await ort.InferenceSession.create(file!, { graphOptimizationLevel: 'all' });
const feeds = () => {
  const a = new Float32Array(3 * s * s);
  for (let i = 0; i < a.length; i++) a[i] = Math.random() * 2 - 1;
  return { [session.inputNames[0]!]: new ort.Tensor('float32', a, [1, 3, s, s]) };
};
// Two warm-up runs: with the default options the second run records the memory pattern.
await session.run(feeds());
await session.run(feeds());
process.send!('ready');
process.on('message', async () => {
  const f = feeds();
  const t = performance.now();
  await session.run(f);
  process.send!({ ms: performance.now() - t });
});
process.on('disconnect', () => process.exit(0));
