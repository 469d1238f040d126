import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalStorage, storageKeys } from '~/server/storage/index';

const dir = mkdtempSync(path.join(tmpdir(), 'bgr-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('puts, gets, deletes; a missing object reads as null', async () => {
  const s = new LocalStorage(dir);
  const folder = storageKeys.newFolder('u1', 'abc');
  const key = storageKeys.original(folder);
  await s.put(key, new Uint8Array([1, 2, 3]));
  expect([...(await s.get(key))!]).toEqual([1, 2, 3]);
  await s.put(storageKeys.preview(key), new Uint8Array([4]));
  expect(storageKeys.folderOf(storageKeys.preview(key))).toBe(folder);
  await s.delete(key);
  expect(await s.get(key)).toBeNull();
  await s.delete(key); // deleting twice is fine
  await s.deleteFolder(folder);
  expect(await s.get(storageKeys.preview(key))).toBeNull();
});

it('refuses keys that could escape the storage folder', async () => {
  const s = new LocalStorage(dir);
  for (const bad of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', '']) {
    await expect(s.put(bad, new Uint8Array([1]))).rejects.toThrow(/Invalid storage key/);
  }
});
