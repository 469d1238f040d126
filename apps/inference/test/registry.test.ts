// The model registry: a model other than IS-Net drops in by configuration. The test builds a tiny
// ONNX model (a 1×1 convolution: logit high for green, low for red) and runs the whole pipeline
// and the HTTP service on it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskCache } from '../src/cache/mask-cache.ts';
import { InferenceClient, InferenceError } from '@bgr/inference-client';
import { BUILT_IN_MODELS, loadRegistry, selectModel } from '../src/model/registry.ts';
import { ModelSession } from '../src/model/session.ts';
import { Pipeline } from '../src/pipeline/render.ts';
import { createInferenceService, type InferenceService } from '../src/server/service.ts';
import { pixels } from './support/pipeline.ts';
import { writeTinyRegistry } from './support/tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'bgr-registry-'));
const registryFile = join(dir, 'models.json');
let pipeline: Pipeline;

/** Green square (the "subject") on red, 200×160. */
async function greenOnRed(): Promise<Buffer> {
  return sharp({ create: { width: 200, height: 160, channels: 3, background: '#ff0000' } })
    .composite([
      { input: { create: { width: 80, height: 60, channels: 3, background: '#00ff00' } }, left: 60, top: 50 },
    ])
    .png()
    .toBuffer();
}

beforeAll(async () => {
  writeTinyRegistry(dir);
  const registry = loadRegistry(registryFile);
  pipeline = new Pipeline(
    await ModelSession.load(selectModel(registry, 'tiny'), { device: 'cpu', threads: 1 }),
    new MaskCache(),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model registry', () => {
  it('keeps the built-in IS-Net models and adds configured ones', () => {
    const registry = loadRegistry(registryFile);
    expect([...registry.keys()]).toEqual(['medium', 'small', 'tiny']);
    expect(registry.get('medium')).toEqual(BUILT_IN_MODELS[0]);
    expect(registry.get('tiny')).toMatchObject({ inputSize: 64, sigmoid: true, normalizeOutput: false });
  });

  it('explains a bad registry file or an unknown model in a sentence', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ name: 'x' }]));
    expect(() => loadRegistry(bad)).toThrow(/is not a list of models/);
    writeFileSync(bad, '{not json');
    expect(() => loadRegistry(bad)).toThrow(/not valid JSON/);
    expect(() => loadRegistry(join(dir, 'missing.json'))).toThrow(/does not exist/);
    expect(() => selectModel(loadRegistry(''), 'birefnet')).toThrow(/not in the registry; known models: medium, small/);
  });

  it('falls back to the CPU provider when the requested device is unavailable', async () => {
    const config = selectModel(loadRegistry(registryFile), 'tiny');
    const cuda = await ModelSession.load(config, { device: 'cuda', threads: 1 });
    // CUDA is not part of onnxruntime-node's default install; where it is, it is used.
    expect(['cuda', 'cpu']).toContain(cuda.info.provider);
    await cuda.release();
    const cpu = await ModelSession.load(config, { device: 'cpu', threads: 1 });
    expect(cpu.info.provider).toBe('cpu');
    await cpu.release();
  });

  it('runs the pipeline on the configured model (sigmoid applied, input size honoured)', async () => {
    expect(pipeline.model.info).toMatchObject({ model: 'tiny', provider: 'cpu', inputSize: 64 });
    const out = await pipeline.render({ bytes: await greenOnRed(), options: { format: 'png' } });
    const { at } = await pixels(out.body);
    expect(at(100, 80)[3]).toBeGreaterThan(250); // green: logit +12 → alpha ≈ 1
    expect(at(10, 10)[3]).toBeLessThan(5); // red: logit −12 → alpha ≈ 0
    expect(Math.abs(out.foreground.left - 60)).toBeLessThanOrEqual(4);
    expect(Math.abs(out.foreground.width - 80)).toBeLessThanOrEqual(8);
  });
});

describe('no subject at all', () => {
  it('crop/scale/position answer unknown_foreground; a plain render is fully transparent', async () => {
    const red = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const plain = await pipeline.render({ bytes: red, options: { format: 'png' } });
    expect(plain.foreground).toEqual({ left: 0, top: 0, width: 0, height: 0 });
    for (const options of [{ crop: true }, { scale: '50%' }, { position: 'center' }]) {
      await expect(pipeline.render({ bytes: red, options })).rejects.toMatchObject({
        code: 'unknown_foreground',
        status: 400,
      });
    }
  });
});

describe('service on the tiny model', () => {
  let service: InferenceService;
  let url: string;
  beforeAll(async () => {
    service = createInferenceService(pipeline, {
      port: 0,
      host: '127.0.0.1',
      secret: 'tiny-secret',
      concurrency: 1,
      queue: 4,
      timeoutMs: 1,
    });
    await new Promise<void>((r) => service.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
  });
  afterAll(() => service.drain());

  it('answers timeout (504) when a render outlasts INFERENCE_TIMEOUT_MS', async () => {
    const big = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#ff0000' } })
      .jpeg()
      .toBuffer();
    const client = new InferenceClient({ urls: [url], secret: 'tiny-secret', retries: 0 });
    const err = await client.render(big, { size: 'full', format: 'png' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err).toMatchObject({ code: 'timeout', status: 504, title: 'Processing timed out' });
  });
});
