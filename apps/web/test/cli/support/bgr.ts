/**
 * Runs the `bgr` command-line client as users do — the bin npm links into node_modules/.bin —
 * in a child process (apps never import apps), and makes folders of small synthetic photos.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../support/inference-service';
import { makePhoto } from '../../api/support/world';

export const BGR_BIN = path.join(repoRoot, 'node_modules/.bin/bgr');

export interface BgrRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a run: the caller's minus any API settings, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['BGR_API_KEY', 'BGR_API_URL', 'REMOVE_BG_API_KEY']) delete base[name];
  return { ...base, ...env };
}

export function spawnBgr(args: string[], opts: { cwd: string; env?: Record<string, string> }): ChildProcess {
  return spawn(BGR_BIN, args, { cwd: opts.cwd, env: childEnv(opts.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a spawned run to end and collects what it printed. */
export function finished(child: ChildProcess): Promise<BgrRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runBgr(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<BgrRun> {
  return finished(spawnBgr(args, opts));
}

/** Writes photos of different sizes and formats at the given relative paths under `dir`. */
export async function writePhotos(dir: string, files: string[]): Promise<void> {
  for (const [i, file] of files.entries()) {
    const ext = path.extname(file).toLowerCase();
    const format = ext === '.png' ? 'png' : ext === '.webp' ? 'webp' : 'jpeg';
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await makePhoto(64 + i * 16, 48 + i * 12, format));
  }
}

/** The --json document: stdout must be exactly one JSON value. */
export interface BgrJson {
  processed: number;
  skipped: number;
  failed: number;
  creditsCharged: number;
  files: { input: string; output: string | null; status: string; credits: number; error: string | null }[];
}

export function parseJson(run: BgrRun): BgrJson {
  return JSON.parse(run.stdout) as BgrJson;
}
