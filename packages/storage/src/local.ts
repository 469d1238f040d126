/**
 * The local-folder backend (STORAGE_URL=file:///abs/path, or the default <repo>/storage): one file
 * per key. Writes go to a temporary file that is renamed into place, so a reader never sees half
 * a file; streams are piped to disk, never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { assertSafeKey, isSafeKey, type BlobStorage, type StorageBody } from './types';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

export class LocalStorage implements BlobStorage {
  readonly url: string;

  constructor(readonly root: string) {
    this.url = pathToFileURL(path.resolve(root)).href;
  }

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: StorageBody): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // A leading dot is never a key, so list() does not show a write in progress.
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    try {
      await pipeline(body instanceof Uint8Array ? [body] : body, createWriteStream(tmp));
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | null> {
    try {
      // Opened now, so a missing file is null here rather than an error event later.
      const handle = await open(this.file(key), 'r');
      return handle.createReadStream();
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.file(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async *list(prefix?: string): AsyncIterable<string> {
    const start = prefix === undefined ? this.root : this.file(prefix);
    const base = prefix === undefined ? '' : `${prefix}/`;
    yield* walk(start, base);
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async deleteFolder(prefix: string): Promise<void> {
    await rm(this.file(prefix), { force: true, recursive: true });
  }
}

/** Files under `dir` as keys (`base` + relative path); in-progress writes and other odd names skipped. */
async function* walk(dir: string, base: string): AsyncIterable<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw err;
  }
  for (const entry of entries) {
    const key = `${base}${entry.name}`;
    if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), `${key}/`);
    else if (entry.isFile() && isSafeKey(key)) yield key;
  }
}
