import path from 'node:path';
import { existsSync } from 'node:fs';
import { env } from '~/env';
import { LocalStorage } from './local';
import type { BlobStorage } from './types';

export type { BlobStorage } from './types';
export { LocalStorage } from './local';

/** The repository root: the nearest folder above the working directory holding package-lock.json. */
export function repoRoot(): string {
  // (turbopackIgnore: a runtime lookup, not a file the build should trace)
  let dir = path.resolve(/*turbopackIgnore: true*/ process.cwd());
  for (;;) {
    if (existsSync(path.join(dir, 'package-lock.json')) && existsSync(path.join(dir, 'apps'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** STORAGE_DIR (absolute, or relative to the repository root), default `<repo>/storage`. */
export function storageDir(): string {
  const configured = env().storageDir;
  if (configured) return path.resolve(/*turbopackIgnore: true*/ repoRoot(), configured);
  return path.join(/*turbopackIgnore: true*/ repoRoot(), 'storage');
}

let instance: BlobStorage | null = null;

export function getStorage(): BlobStorage {
  instance ??= new LocalStorage(storageDir());
  return instance;
}

/**
 * Object keys, in one place. Everything belonging to one image lives in one folder, so retention
 * can delete it with one call; the folder is fixed when the original is stored.
 */
export const storageKeys = {
  newFolder: (userId: string, id: string) => `images/${userId}/${id}`,
  original: (folder: string) => `${folder}/original`,
  folderOf: (originalKey: string) => originalKey.slice(0, originalKey.lastIndexOf('/')),
  preview: (originalKey: string) => `${storageKeys.folderOf(originalKey)}/preview.png`,
  result: (originalKey: string, variant: string) => `${storageKeys.folderOf(originalKey)}/result-${variant}`,
};
