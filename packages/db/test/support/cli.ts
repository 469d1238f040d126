/**
 * The admin CLI run as a process, the way an operator runs it (`npm run -s admin -- …` runs exactly
 * this), from the repository root: a test sees the exit code, what was printed, and stdout read as
 * one JSON document. No database is configured unless the test's `env` names one.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliResult extends ProcessResult {
  /** stdout parsed as JSON; undefined when empty, a symbol when it is not one JSON document. */
  json: unknown;
}

/** Runs a TypeScript file of the repository under tsx in a child process, with `env` over the caller's. */
export function runTsx(file: string, env: Record<string, string>, args: string[] = []): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs the admin CLI with `args`. */
export async function cli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const r = await runTsx('packages/db/src/cli/main.ts', env, args);
  let json: unknown;
  try {
    json = r.stdout ? JSON.parse(r.stdout) : undefined;
  } catch {
    json = Symbol('stdout is not one JSON document');
  }
  return { ...r, json };
}

/** The JSON a command printed, after asserting it exited 0 (its stderr is the failure message). */
export function ok(r: CliResult): unknown {
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}
