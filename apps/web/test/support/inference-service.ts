/**
 * Starts the real inference service (real IS-Net) for a test file, on a free port in the web
 * engineer's range, and stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freePort(from: number, to: number): Promise<number> {
  const start = from + Math.floor(Math.random() * (to - from));
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((start - from + i) % (to - from + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port between ${from} and ${to}`);
}

export type InferenceService = {
  url: string;
  secret: string;
  stop(): Promise<void>;
  /** What it wrote on stdout (its JSON request log; the last 1 MB); absent where a test builds its own. */
  stdout?(): string;
};

/** `env`: more variables for the service (e.g. LOG_LEVEL, METRICS_TOKEN). */
export async function startInferenceService(opts: { env?: Record<string, string> } = {}): Promise<InferenceService> {
  const port = await freePort(3150, 3249);
  const secret = `test-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    ['apps/inference/src/server/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        INFERENCE_PORT: String(port),
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
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout = (stdout + d.toString()).slice(-1_000_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
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
