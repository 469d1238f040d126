// Starts the real inference service (tsx src/server/main.ts) on a port the system picks
// (INFERENCE_PORT=0; the service names it in its "listening on" line) and waits for /readyz. A port
// chosen here and bound later by the child could be taken meanwhile by another test file's server,
// whose /readyz would then answer for ours. The caller stops it (SIGTERM) when done.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

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
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: appDir,
    env: {
      ...process.env,
      INFERENCE_PORT: '0',
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
  const deadline = Date.now() + 180_000;
  let url = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The inference service exited early:\n${output}`);
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
    if (port) url = `http://127.0.0.1:${port}`;
    if (url)
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
