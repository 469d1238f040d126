// The model registry: which ONNX cut-out models exist and how to feed them. Built-in entries are
// the two IS-Net files assembled by scripts/fetch-model.mjs; a deployer adds others (BiRefNet, ...)
// with a JSON file named by INFERENCE_MODELS_FILE: an array of ModelConfig objects (an entry with a
// built-in name replaces it). Relative `file` paths resolve against MODELS_DIR. The variables are
// read in server/config.ts and passed in here.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** Where model files live unless MODELS_DIR says otherwise. */
export const DEFAULT_MODELS_DIR = join(repoRoot, 'models');
/** The model used unless INFERENCE_MODEL says otherwise. */
export const DEFAULT_MODEL = 'medium';

export const modelConfigSchema = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  /** The square input side the model expects (IS-Net: 1024). */
  inputSize: z.number().int().positive(),
  /** Per-channel normalisation, applied as (x/255 - mean) / std. */
  mean: z.tuple([z.number(), z.number(), z.number()]).default([0.5, 0.5, 0.5]),
  std: z.tuple([z.number(), z.number(), z.number()]).default([1, 1, 1]),
  /** True when the output is a logit that still needs a sigmoid. */
  sigmoid: z.boolean().default(false),
  /** Input/output tensor names; default: the model's first input / first output. */
  inputName: z.string().optional(),
  outputName: z.string().optional(),
  /** Whether the output is min-max normalised to [0,1] before use (some exports need it). */
  normalizeOutput: z.boolean().default(false),
});

export type ModelConfig = z.output<typeof modelConfigSchema>;

export const BUILT_IN_MODELS: ModelConfig[] = [
  {
    name: 'medium',
    file: 'isnet-medium.onnx',
    inputSize: 1024,
    mean: [0.5, 0.5, 0.5],
    std: [1, 1, 1],
    sigmoid: false,
    outputName: 'output',
    normalizeOutput: false,
  },
  {
    name: 'small',
    file: 'isnet-small.onnx',
    inputSize: 1024,
    mean: [0.5, 0.5, 0.5],
    std: [1, 1, 1],
    sigmoid: false,
    outputName: 'output',
    normalizeOutput: false,
  },
];

/** All models: built-ins, then the entries of `modelsFile` (INFERENCE_MODELS_FILE) if given. */
export function loadRegistry(modelsFile?: string): Map<string, ModelConfig> {
  const map = new Map(BUILT_IN_MODELS.map((m) => [m.name, m]));
  if (modelsFile) {
    if (!existsSync(modelsFile))
      throw new Error(`The models file ${modelsFile} (INFERENCE_MODELS_FILE) does not exist.`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(modelsFile, 'utf8'));
    } catch (err) {
      throw new Error(`The models file ${modelsFile} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = z.array(modelConfigSchema).safeParse(raw);
    if (!parsed.success)
      throw new Error(`The models file ${modelsFile} is not a list of models: ${parsed.error.issues[0]?.message}`);
    for (const m of parsed.data) map.set(m.name, m);
  }
  return map;
}

/** The model's file: absolute as given, else under `modelsDir` (MODELS_DIR, default <repo>/models). */
export function modelPath(config: ModelConfig, modelsDir: string = DEFAULT_MODELS_DIR): string {
  return isAbsolute(config.file) ? config.file : join(resolve(modelsDir), config.file);
}

/** The configured model: `name` (INFERENCE_MODEL, default medium). */
export function selectModel(registry: Map<string, ModelConfig>, name: string = DEFAULT_MODEL): ModelConfig {
  const config = registry.get(name);
  if (!config)
    throw new Error(
      `The model "${name}" (INFERENCE_MODEL) is not in the registry; known models: ${[...registry.keys()].join(', ')}.`,
    );
  return config;
}
