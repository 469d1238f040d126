// Where the default local folder is: <repository root>/storage, whichever workspace the process
// starts in (the web app runs in apps/web, the admin CLI at the root).
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above the working directory holding package-lock.json and apps/. */
export function repoRoot(from: string = process.cwd()): string {
  // (turbopackIgnore: a runtime lookup, not a file the build should trace)
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (existsSync(path.join(dir, 'package-lock.json')) && existsSync(path.join(dir, 'apps'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(/*turbopackIgnore: true*/ from);
    dir = up;
  }
}

/** The default folder when neither STORAGE_URL nor STORAGE_DIR is set. */
export function defaultStorageDir(): string {
  return path.join(/*turbopackIgnore: true*/ repoRoot(), 'storage');
}
