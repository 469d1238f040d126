// The soak row (npm run bench -- --soak): one inference service process (src/server/main.ts, as
// `npm start` runs it) serves N renders of mixed sizes and options over HTTP, every upload a
// different file; its resident memory is read from /proc after render 50, 100 and N. ONNX Runtime
// and libvips have had leaks; growth after the first 50 renders must stay under 10 %.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize, variant, type BenchImage } from './images.ts';

export interface SoakResult {
  renders: number;
  /** VmRSS in bytes after the render with that number (1-based). */
  rssAt: Record<number, number>;
  peakRss: number;
  seconds: number;
  error?: string;
}

const status = (pid: number, key: string): number =>
  Number(
    /\s(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(key)) ?? '',
    )?.[1] ?? NaN,
  ) * 1024;

// Mixed work: sizes of input, output size and format, a preview of the same bytes now and then.
const PLAN: { mp: number; options: Record<string, string>; previewFirst?: boolean }[] = [
  { mp: 1, options: { size: 'full', format: 'png' } },
  { mp: 6, options: { size: 'full', format: 'png' }, previewFirst: true },
  { mp: 12, options: { size: 'full', format: 'jpg' } },
  { mp: 3, options: { size: 'preview', format: 'png' } },
  { mp: 6, options: { size: 'full', format: 'webp', bgColor: 'ff0000' } },
  { mp: 12, options: { size: 'full', format: 'zip' } },
];

export async function soak(opts: { appDir: string; renders: number; port?: number }): Promise<SoakResult> {
  const port = opts.port ?? 3571;
  const child = spawn(process.execPath, ['--import', 'tsx', join(opts.appDir, 'src', 'server', 'main.ts')], {
    cwd: opts.appDir,
    env: { ...process.env, INFERENCE_PORT: String(port), INFERENCE_HOST: '127.0.0.1', INFERENCE_SECRET: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const rssAt: Record<number, number> = {};
  const t0 = performance.now();
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the service exited: ${log.trim().split('\n').pop()}`);
      const r = await fetch(`${url}/readyz`).catch(() => null);
      if (r?.ok) break;
      if (i > 600) throw new Error('the service was not ready within 5 minutes');
      await new Promise((res) => setTimeout(res, 500));
    }
    const images = new Map<number, BenchImage>();
    for (const mp of new Set(PLAN.map((p) => p.mp))) images.set(mp, await synthesize(mp));
    const render = async (bytes: Buffer, options: Record<string, string>) => {
      const res = await fetch(`${url}/v1/render`, {
        method: 'POST',
        headers: { 'x-render-options': encodeURIComponent(JSON.stringify(options)) },
        body: new Uint8Array(bytes),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`render answered ${res.status}`);
    };
    for (let n = 1; n <= opts.renders; n++) {
      const step = PLAN[(n - 1) % PLAN.length]!;
      const bytes = await variant(images.get(step.mp)!);
      if (step.previewFirst) await render(bytes, { size: 'preview', format: 'png' });
      await render(bytes, step.options);
      if (n === 50 || n === 100 || n === opts.renders) rssAt[n] = status(child.pid!, 'VmRSS:');
      if (n % 25 === 0)
        console.error(
          `bench: soak ${n}/${opts.renders} renders, service RSS ${(status(child.pid!, 'VmRSS:') / 2 ** 30).toFixed(2)} GiB`,
        );
    }
    return {
      renders: opts.renders,
      rssAt,
      peakRss: status(child.pid!, 'VmHWM:'),
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (err) {
    return {
      renders: opts.renders,
      rssAt,
      peakRss: NaN,
      seconds: (performance.now() - t0) / 1000,
      error: (err as Error).message,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
