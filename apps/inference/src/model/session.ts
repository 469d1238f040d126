// One ONNX Runtime session per model, created once. Picks the execution provider from the device
// it is given (auto|cpu|webgpu|cuda; the service's INFERENCE_DEVICE, checked in server/config.ts),
// falling back to CPU with a logged reason.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from './registry.ts';
import { modelPath } from './registry.ts';

export type Device = 'auto' | 'cpu' | 'webgpu' | 'cuda';

export interface ModelSessionInfo {
  model: string;
  /** The options the ONNX Runtime session was created with (sessionOptions below). */
  options: ort.InferenceSession.SessionOptions;
  file: string;
  provider: string;
  threads: number;
  inputSize: number;
  loadMs: number;
}

function log(line: string) {
  console.error(`inference: ${line}`);
}

/** The CUDA provider is a separate shared library, present only where it was installed (GPU image). */
function cudaInstalled(): boolean {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(dir, 'bin', 'napi-v6', process.platform, process.arch);
    return (
      existsSync(join(bin, 'libonnxruntime_providers_cuda.so')) ||
      existsSync(join(bin, 'onnxruntime_providers_cuda.dll'))
    );
  } catch {
    return false;
  }
}

/**
 * The options every model session is created with. Measured on a fresh 2-core machine
 * (experiments/session-options.ts, README "Session options"): the CPU memory arena must stay on
 * (without it each run faults in fresh pages: IS-Net 4.8 s instead of 2.2 s, and 7.4 s with the
 * memory pattern off too), while the memory pattern is off (same speed as the defaults, 1.5 GiB
 * RSS instead of 2.3 GiB, and no slow second run while the pattern is recorded).
 * test/session-options.test.ts pins these, so a refactor cannot bring the slowdown back.
 */
export function sessionOptions(provider: string, threads = 0): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    ...(threads ? { intraOpNumThreads: threads } : {}),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: false,
  };
}

/** A loaded model: `run` takes normalised NCHW input and returns the probability map in [0,1]. */
export class ModelSession {
  readonly info: ModelSessionInfo;
  runs = 0;
  private constructor(
    readonly config: ModelConfig,
    private readonly session: ort.InferenceSession,
    info: ModelSessionInfo,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {
    this.info = info;
  }

  /**
   * `device` default auto; `threads` default 0 (onnxruntime's own: one per physical core);
   * `modelsDir` (MODELS_DIR) resolves a relative model file, default <repo>/models.
   */
  static async load(
    config: ModelConfig,
    opts: { device?: Device; threads?: number; modelsDir?: string } = {},
  ): Promise<ModelSession> {
    const file = modelPath(config, opts.modelsDir);
    if (!existsSync(file)) {
      throw new Error(`The model file ${file} is missing; run "npm run fetch-model" to assemble it.`);
    }
    const device = opts.device ?? 'auto';
    const threads = opts.threads ?? 0;
    let wanted: string[] = device === 'auto' ? ['cuda', 'webgpu', 'cpu'] : device === 'cpu' ? ['cpu'] : [device, 'cpu'];
    if (device === 'auto' && !cudaInstalled()) wanted = wanted.filter((p) => p !== 'cuda');
    const started = Date.now();
    let lastError: unknown;
    for (const provider of wanted) {
      try {
        const options = sessionOptions(provider, threads);
        const session = await ort.InferenceSession.create(file, options);
        const inputName = config.inputName ?? session.inputNames[0]!;
        const outputName = config.outputName ?? session.outputNames[0]!;
        if (!session.inputNames.includes(inputName)) throw new Error(`model has no input "${inputName}"`);
        if (!session.outputNames.includes(outputName)) throw new Error(`model has no output "${outputName}"`);
        // 0 = ONNX Runtime's own choice (one per core); report what that means here.
        const effective = threads || availableParallelism();
        const info = {
          model: config.name,
          options,
          file,
          provider,
          threads: effective,
          inputSize: config.inputSize,
          loadMs: Date.now() - started,
        };
        log(
          `model "${config.name}" loaded from ${file} on the ${provider} provider (${effective} threads${threads ? '' : ', the default'}) in ${info.loadMs} ms.`,
        );
        return new ModelSession(config, session, info, inputName, outputName);
      } catch (err) {
        lastError = err;
        if (provider !== 'cpu')
          log(
            `the ${provider} provider is not available (${String((err as Error).message ?? err).split('\n')[0]}); trying the next one.`,
          );
      }
    }
    throw new Error(`The model ${file} could not be loaded: ${(lastError as Error)?.message ?? lastError}`);
  }

  /** input: Float32 NCHW [1,3,S,S] already normalised. Returns S×S probabilities in [0,1]. */
  async run(input: Float32Array): Promise<Float32Array> {
    const s = this.config.inputSize;
    const tensor = new ort.Tensor('float32', input, [1, 3, s, s]);
    this.runs++;
    const result = await this.session.run({ [this.inputName]: tensor }, [this.outputName]);
    const out = result[this.outputName];
    if (!out) throw new Error(`The model produced no "${this.outputName}" output.`);
    const data = out.data as Float32Array;
    if (data.length !== s * s) throw new Error(`The model output has ${data.length} values; expected ${s}×${s}.`);
    const prob = new Float32Array(data.length);
    if (this.config.sigmoid) {
      for (let i = 0; i < data.length; i++) prob[i] = 1 / (1 + Math.exp(-data[i]!));
    } else {
      prob.set(data);
    }
    if (this.config.normalizeOutput) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of prob) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const span = hi - lo || 1;
      for (let i = 0; i < prob.length; i++) prob[i] = (prob[i]! - lo) / span;
    }
    for (let i = 0; i < prob.length; i++) prob[i] = Math.min(1, Math.max(0, prob[i]!));
    return prob;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
