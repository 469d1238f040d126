/**
 * What only the local folder has to get right: keys become files under the root and never escape
 * it, a write in progress is invisible, and the image-folder keys group an image's objects.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalStorage, storageKeys } from '../src/index';

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

it('keeps files under its root, and lists neither writes in progress nor stray names', async () => {
  const root = path.join(dir, 'listing');
  const s = new LocalStorage(root);
  await s.put('a/b', new Uint8Array([1]));
  expect(readdirSync(path.join(root, 'a'))).toEqual(['b']);
  writeFileSync(path.join(root, 'a', '.b.1234.tmp'), 'half');
  writeFileSync(path.join(root, 'a', 'odd name'), 'x');
  const keys: string[] = [];
  for await (const key of s.list()) keys.push(key);
  expect(keys).toEqual(['a/b']);
  expect(s.url).toBe(`file://${root}`);
});
