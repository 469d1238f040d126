/**
 * The web process's storage follows the configuration: the local folder by default (STORAGE_DIR
 * still names it), an S3 store when STORAGE_URL says s3://… with the credentials taken from the
 * environment by the AWS SDK — as a deployed web replica gets them — and retention deletes an
 * image's whole folder there too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalStorage, S3Storage } from '@bgr/storage';
import { startS3rver, type S3rverHandle } from '@bgr/storage/test-support/s3rver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getStorage, storageKeys } from '~/server/storage';

const NAMES = ['STORAGE_URL', 'STORAGE_DIR', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
let s3: S3rverHandle;
let dir: string;

beforeAll(async () => {
  s3 = await startS3rver();
  dir = mkdtempSync(path.join(tmpdir(), 'bgr-web-storage-'));
});
afterAll(async () => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
  await s3?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('uses STORAGE_DIR as the local folder, then the S3 store STORAGE_URL names', async () => {
  delete process.env.STORAGE_URL;
  process.env.STORAGE_DIR = dir;
  const local = getStorage();
  expect(local).toBeInstanceOf(LocalStorage);
  await local.put('images/u1/a/original', new Uint8Array([1, 2]));
  expect([...readFileSync(path.join(dir, 'images/u1/a/original'))]).toEqual([1, 2]);
  expect(getStorage()).toBe(local); // one instance while the configuration stays

  delete process.env.STORAGE_DIR;
  Object.assign(process.env, s3.env('web'));
  const remote = getStorage();
  expect(remote).toBeInstanceOf(S3Storage);
  const folder = storageKeys.newFolder('u1', 'b');
  await remote.put(storageKeys.original(folder), new Uint8Array([3]));
  await remote.put(storageKeys.preview(storageKeys.original(folder)), new Uint8Array([4]));
  expect(await remote.get(storageKeys.original(folder))).toEqual(Buffer.from([3]));
  expect(await remote.exists('images/u1/a/original')).toBe(false);
  await remote.deleteFolder(folder);
  expect(await remote.get(storageKeys.preview(storageKeys.original(folder)))).toBeNull();
});
