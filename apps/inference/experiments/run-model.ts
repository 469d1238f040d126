// Runs IS-Net once per dev image for one model-input variant and caches the raw 1024² sigmoid
// output, so refinement variants can be scored without rerunning the model.
//   tsx experiments/run-model.ts <variant> [--flip]
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { REPO, MODEL_SIZE, manifest, imagePath, cacheFile, writeCache, type Item } from './common.ts';

const variant = process.argv[2] ?? 'lanczos3';
const flip = process.argv.includes('--flip');
const modelFile = process.env.MODEL ?? path.join(REPO, 'models/isnet-medium.onnx');

// Model input: RGB planes, x/255 - 0.5.
export async function modelInput(file: string, v: string, doFlip: boolean): Promise<Uint8Array> {
  let img = sharp(file, { failOn: 'none' }).rotate().removeAlpha().toColourspace('srgb');
  if (doFlip) img = img.flop();
  const kernel = v.startsWith('gamma-') ? v.slice(6) : v;
  if (v.startsWith('gamma-')) {
    img = img.gamma(2.2);
  }
  img = img.resize(MODEL_SIZE, MODEL_SIZE, {
    fit: 'fill',
    kernel: kernel as keyof sharp.KernelEnum,
    fastShrinkOnLoad: false,
  });
  const { data } = await img.raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function main(): Promise<void> {
  const session = await ort.InferenceSession.create(modelFile, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: Number(process.env.THREADS ?? 2),
  });
  const items: Item[] = manifest();
  const plane = MODEL_SIZE * MODEL_SIZE;
  const input = new Float32Array(3 * plane);
  const tag = variant + (flip ? '-flip' : '');
  let total = 0;
  let n = 0;
  for (const item of items) {
    if (fs.existsSync(cacheFile(tag, item.name))) continue;
    const rgb = await modelInput(imagePath(item), variant, flip);
    for (let i = 0; i < plane; i++) {
      input[i] = rgb[3 * i]! / 255 - 0.5;
      input[plane + i] = rgb[3 * i + 1]! / 255 - 0.5;
      input[2 * plane + i] = rgb[3 * i + 2]! / 255 - 0.5;
    }
    const t0 = performance.now();
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, MODEL_SIZE, MODEL_SIZE]) }, [
      'output',
    ]);
    const dt = performance.now() - t0;
    total += dt;
    n++;
    const o = out.output ?? Object.values(out)[0]!;
    let data = o.data as Float32Array;
    if (flip) {
      const un = new Float32Array(plane);
      for (let y = 0; y < MODEL_SIZE; y++) {
        for (let x = 0; x < MODEL_SIZE; x++) un[y * MODEL_SIZE + x] = data[y * MODEL_SIZE + MODEL_SIZE - 1 - x]!;
      }
      data = un;
    }
    writeCache(tag, item.name, Float32Array.from(data));
    if (n % 10 === 0) console.log(`${tag}: ${n} done, mean run ${(total / n).toFixed(0)} ms`);
  }
  console.log(`${tag}: ${n} model runs, mean ${(total / Math.max(1, n)).toFixed(0)} ms`);
}

await main();
