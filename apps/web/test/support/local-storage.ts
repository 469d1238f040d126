/**
 * A LocalStorage on a temporary folder of its own, for tests that store files without the
 * inference service: made in the enclosing describe's beforeAll, removed in its afterAll. The
 * object is returned at once and filled in beforeAll, so a describe block can name it at its top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LocalStorage } from '~/server/storage/index';

export type TempStorage = { dir: string; storage: LocalStorage };

/** A LocalStorage on a new folder `bgr-<name>-…` in the system's temp folder. */
export function withLocalStorage(name: string): TempStorage {
  const files = {} as TempStorage;
  beforeAll(() => {
    files.dir = mkdtempSync(path.join(tmpdir(), `bgr-${name}-`));
    files.storage = new LocalStorage(files.dir);
  });
  afterAll(() => {
    if (files.dir) rmSync(files.dir, { recursive: true, force: true });
  });
  return files;
}
