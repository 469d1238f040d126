// Starts the real inference service (tsx src/server/main.ts) on a free port in our range and
// waits for /readyz. The caller stops it (SIGTERM) when done.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(from: number, to: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('No free port in the test range.');
}

/** The METRICS_TOKEN every test server gets unless a test passes its own (or '' for none). */
export const TEST_METRICS_TOKEN = 'test-metrics-token';
export const metricsAuth = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };

export interface RunningServer {
  url: string;
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort(3450, 3499);
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: appDir,
    env: {
      ...process.env,
      INFERENCE_PORT: String(port),
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_DEVICE: 'cpu',
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The inference service exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return { url, child, log: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`The inference service did not become ready:\n${output}`);
}
