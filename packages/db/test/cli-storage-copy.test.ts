/**
 * `npm run -s admin -- storage copy`: moving an installation's files from the local folder into
 * an S3-compatible store (a real s3rver on loopback), run as an operator runs it. Counts are
 * exact, a second run copies nothing, a changed or new file is copied again, and bad arguments
 * are one line with exit code 2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStorage, type BlobStorage } from '@bgr/storage';
import { startS3rver, type S3rverHandle } from '@bgr/storage/test-support/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as adminCli } from './support/cli';

const TIMEOUT = 300_000;

/** The admin CLI with no storage configured and no database: a storage command never opens one. */
async function cli(env: Record<string, string>, ...args: string[]) {
  const r = await adminCli(
    { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', STORAGE_URL: '', STORAGE_DIR: '', ...env },
    ...args,
  );
  return { ...r, json: r.json as Record<string, unknown> | undefined };
}

async function keysOf(storage: BlobStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list()) keys.push(key);
  return keys.sort();
}

describe('admin storage copy: local folder → S3', () => {
  let s3: S3rverHandle;
  let dir: string;
  let local: string;
  let credentials: Record<string, string>;
  let target: BlobStorage;
  const big = Buffer.alloc(6 * 1024 * 1024 + 17, 7); // more than one multipart part

  const put = (key: string, bytes: Uint8Array | string) => {
    const file = path.join(local, key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  };

  beforeAll(async () => {
    s3 = await startS3rver();
    dir = mkdtempSync(path.join(tmpdir(), 'bgr-storage-copy-'));
    local = path.join(dir, 'storage');
    const { STORAGE_URL: _url, ...awsEnv } = s3.env();
    credentials = awsEnv;
    target = createStorage(s3.storageUrl('prod'), { credentials: s3.credentials });
    put('images/u1/a/original', 'original bytes');
    put('images/u1/a/preview.png', 'preview');
    put('images/u1/a/result-transparent.png', big);
    put('improvements/u2/x', 'submission');
    put('images/u1/a/.original.123.tmp', 'a write in progress is not an object');
  });

  afterAll(async () => {
    await s3?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'copies every file with exact counts, streams the large one whole, and leaves the source alone',
    async () => {
      const r = await cli(
        credentials,
        'storage',
        'copy',
        '--from',
        pathToFileURL(local).href,
        '--to',
        s3.storageUrl('prod'),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({
        from: pathToFileURL(local).href,
        total: 4,
        copied: 4,
        skipped: 0,
        bytes: 'original bytes'.length + 'preview'.length + big.length + 'submission'.length,
      });
      expect(String(r.json?.to)).toMatch(/^s3:\/\/bgr-test\/prod\?endpoint=/);
      expect(await keysOf(target)).toEqual([
        'images/u1/a/original',
        'images/u1/a/preview.png',
        'images/u1/a/result-transparent.png',
        'improvements/u2/x',
      ]);
      expect((await target.get('images/u1/a/result-transparent.png'))?.equals(big)).toBe(true);
      expect((await target.get('improvements/u2/x'))?.toString()).toBe('submission');
      expect(await keysOf(createStorage(pathToFileURL(local).href))).toHaveLength(4);
    },
    TIMEOUT,
  );

  it(
    'run again: copies nothing; a changed and a new file are copied, the rest skipped',
    async () => {
      const again = await cli(
        credentials,
        'storage',
        'copy',
        '--from',
        pathToFileURL(local).href,
        '--to',
        s3.storageUrl('prod'),
      );
      expect(again.code, again.stderr).toBe(0);
      expect(again.json).toMatchObject({ total: 4, copied: 0, skipped: 4, bytes: 0 });

      put('images/u1/a/preview.png', 'a new, longer preview');
      put('images/u3/b/original', 'another');
      // --from defaults to the configured storage (here the older STORAGE_DIR).
      const r = await cli({ ...credentials, STORAGE_DIR: local }, 'storage', 'copy', '--to', s3.storageUrl('prod'));
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ total: 5, copied: 2, skipped: 3 });
      expect((await target.get('images/u1/a/preview.png'))?.toString()).toBe('a new, longer preview');
      expect((await target.get('images/u3/b/original'))?.toString()).toBe('another');
    },
    TIMEOUT,
  );

  it(
    'refuses bad arguments (exit code 2) and missing credentials (exit code 1) with one line',
    async () => {
      const bad = await cli(credentials, 'storage', 'copy', '--from', 'minio:9000', '--to', s3.storageUrl('prod'));
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain('--from "minio:9000" must start with file:// or s3://.');
      const missing = await cli(credentials, 'storage', 'copy', '--from', pathToFileURL(local).href);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('storage copy needs --to.');
      const same = await cli(
        credentials,
        'storage',
        'copy',
        '--from',
        s3.storageUrl('prod'),
        '--to',
        s3.storageUrl('prod'),
      );
      expect(same.code).toBe(2);
      expect(same.stderr).toContain('--from and --to name the same storage');
      // Without credentials: one sentence saying which variables to set, exit code 1.
      const anonymous = await cli(
        { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'bgr-none', HOME: dir },
        'storage',
        'copy',
        '--from',
        pathToFileURL(local).href,
        '--to',
        s3.storageUrl('other'),
      );
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain(
        'error: No S3 credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      );
    },
    TIMEOUT,
  );
});
