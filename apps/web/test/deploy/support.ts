/**
 * Helpers of the deploy tests: the repository's paths, Compose's variable interpolation, and the
 * environment variable names the configuration schemas know (what a container may be given).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENV_NAMES } from '~/env';

export const repo = (p: string) => fileURLToPath(new URL(`../../../../${p}`, import.meta.url));

/**
 * Compose's interpolation on the file's text: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}` (throws the message when unset or empty) and `$$` for a literal `$`.
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name, colon, op, arg) => {
    if (whole === '$$') return '$';
    const value = vars[name as string];
    const missing = value === undefined || (colon === ':' && value === '');
    if (op === '-') return missing ? (arg as string) : (value as string);
    if (op === '?' && missing) throw new Error(`${name}: ${arg}`);
    return value ?? '';
  });
}

/** Read by the AWS SDK's default credential chain for S3 storage (packages/storage/src/env.ts says so). */
export const AWS_SDK_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'];

/** Read by the start scripts (scripts/), documented in the README's configuration table. */
export const SCRIPT_NAMES = ['PORT', 'HOST', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'INFERENCE_READY_TIMEOUT_MS'];

/** Every variable a schema reads: the web app's (with the packages' pieces) and the inference service's. */
export async function knownEnvNames(): Promise<Set<string>> {
  // By path, not by package name: apps do not depend on apps (as in test/config/readme-config.test.ts).
  const inference = (await import(/* @vite-ignore */ repo('apps/inference/src/server/config.ts'))) as {
    inferenceEnvSchema: { shape: Record<string, unknown> };
  };
  return new Set([...ENV_NAMES, ...Object.keys(inference.inferenceEnvSchema.shape), ...AWS_SDK_NAMES, ...SCRIPT_NAMES]);
}

/** True when `cmd args` runs and exits 0 (e.g. `docker compose version`, `kubectl version --client`). */
export function answers(cmd: string, args: string[]): boolean {
  const res = spawnSync(cmd, args, { encoding: 'utf8', stdio: 'ignore', timeout: 20_000 });
  return res.status === 0;
}
