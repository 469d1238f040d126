/**
 * Starts the real inference service (real IS-Net) for a test file and stops it afterwards. The
 * service takes a port the system picks (INFERENCE_PORT=0) and names it in its "listening on" line:
 * a port chosen here and bound later by the child could be taken meanwhile by another test file's
 * service, whose /readyz would then answer for ours (with another secret).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export type InferenceService = {
  url: string;
  secret: string;
  stop(): Promise<void>;
  /** What it wrote on stdout (its JSON request log; the last 1 MB); absent where a test builds its own. */
  stdout?(): string;
};

/** `env`: more variables for the service (e.g. LOG_LEVEL, METRICS_TOKEN). */
export async function startInferenceService(opts: { env?: Record<string, string> } = {}): Promise<InferenceService> {
  const secret = `test-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    ['apps/inference/src/server/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        INFERENCE_PORT: '0',
        INFERENCE_SECRET: secret,
        INFERENCE_HOST: '127.0.0.1',
        INFERENCE_THREADS: process.env.INFERENCE_THREADS ?? '1',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  let url = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout = (stdout + d.toString()).slice(-1_000_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr)?.[1];
    if (port && !url) url = `http://127.0.0.1:${port}`;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The inference service exited (${child.exitCode}): ${stderr}`);
    if (url)
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return { url, secret, stop, stdout: () => stdout };
      } catch {
        /* not yet */
      }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`The inference service did not become ready: ${stderr}`);
}
