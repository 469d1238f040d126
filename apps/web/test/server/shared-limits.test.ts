/**
 * Several web replicas share one budget: the API rate limit, the per-minute upload quota and the
 * sign-in throttle are counted in PostgreSQL, not in process memory. Two separate processes (each
 * its own database handle, as two replicas are) take from the same user's limits at the same
 * time, and together they are admitted exactly the limit, not twice it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { withTestDb } from '@bgr/db/test/support';
import { beforeAll, expect, it } from 'vitest';
import { SIGNIN_FAILURE_LIMIT } from '~/server/signin-throttle';
import { WEB_QUOTAS } from '~/server/web-quota';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const worker = path.join(import.meta.dirname, 'support/limit-worker.ts');

const t = withTestDb('postgres');
let url: string;
beforeAll(() => {
  url = t.url!;
});

function replica(...args: (string | number)[]): Promise<{ uploads: number; api: number; signIns: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args.map(String)], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr)))),
  );
}

it('two replicas at once are admitted exactly one budget between them', async () => {
  const uploadLimit = WEB_QUOTAS.upload.perMinute;
  const apiLimit = 30;
  // Each process alone would be admitted all it asks for: 2/3 of each limit (and 6 of 10 sign-ins).
  const ask = [Math.ceil((uploadLimit * 2) / 3), 20, apiLimit, 6, '203.0.113.7'] as const;
  const [a, b] = await Promise.all([replica('user-1', ...ask), replica('user-1', ...ask)]);
  expect(a!.uploads + b!.uploads).toBe(uploadLimit);
  expect(a!.api + b!.api).toBe(apiLimit);
  expect(a!.signIns + b!.signIns).toBe(SIGNIN_FAILURE_LIMIT);
  // Another user's budget is untouched; from the same address, sign-in is throttled for them too.
  expect(await replica('user-2', 1, 1, apiLimit, 1, '203.0.113.8')).toEqual({ uploads: 1, api: 1, signIns: 1 });
  expect(await replica('user-3', 1, 1, apiLimit, 1, '203.0.113.7')).toEqual({ uploads: 1, api: 1, signIns: 0 });
}, 300_000);
