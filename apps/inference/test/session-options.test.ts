// The ONNX Runtime session options decide a 2–4× difference in model time on a fresh machine
// (README "Session options"): this pins what the service creates, so a refactor cannot bring
// the slowdown (arena off) or the memory growth (memory pattern on) back unnoticed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelSession, sessionOptions } from '../src/model/session.ts';
import { writeTinyModel } from './support/tiny-model.ts';

const dir = mkdtempSync(join(os.tmpdir(), 'bgr-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session options', () => {
  it('keep the CPU memory arena on and the memory pattern off, fully optimised', () => {
    const o = sessionOptions('cpu');
    expect(o.enableCpuMemArena).toBe(true);
    expect(o.enableMemPattern).toBe(false);
    expect(o.graphOptimizationLevel).toBe('all');
    expect(o.executionProviders).toEqual(['cpu']);
    // 0 threads = ONNX Runtime's own default (one per physical core): nothing passed.
    expect(o).not.toHaveProperty('intraOpNumThreads');
    expect(sessionOptions('cuda', 3)).toMatchObject({
      executionProviders: ['cuda'],
      intraOpNumThreads: 3,
      interOpNumThreads: 1,
    });
  });

  it('are the ones a loaded model session was created with', async () => {
    const file = join(dir, 'tiny.onnx');
    writeTinyModel(file, 16);
    const model = await ModelSession.load(
      { name: 'tiny', file, inputSize: 16, mean: [0, 0, 0], std: [1, 1, 1], sigmoid: true, normalizeOutput: false },
      { device: 'cpu', threads: 1 },
    );
    try {
      expect(model.info.options).toEqual(sessionOptions('cpu', 1));
      expect(model.info.options.enableCpuMemArena).toBe(true);
      expect(model.info.options.enableMemPattern).toBe(false);
      const out = await model.run(new Float32Array(3 * 16 * 16));
      expect(out).toHaveLength(16 * 16);
    } finally {
      await model.release();
    }
  });
});
