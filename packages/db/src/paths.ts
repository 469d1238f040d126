import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above `from` whose package.json declares "workspaces". */
export function findRepoRoot(from: string = process.cwd()): string {
  // Not a file the web server needs traced: without the comment Next's standalone output copies the whole project.
  let dir = path.resolve(/* turbopackIgnore: true */ from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ('workspaces' in JSON.parse(readFileSync(pkg, 'utf8'))) return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`Could not find the repository root (a package.json with "workspaces") above ${from}.`);
    dir = parent;
  }
}

/** Where the embedded database lives: `dataDir` (DATA_DIR, from readDbEnv), else <repo root>/.data, whichever workspace the process starts in. */
export function defaultDataDir(dataDir?: string): string {
  return dataDir ? path.resolve(dataDir) : path.join(findRepoRoot(), '.data');
}

/** The committed drizzle-kit migrations, found next to this file or, when bundled, from the repository root. */
export function migrationsFolder(): string {
  try {
    const here = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'drizzle');
    if (existsSync(path.join(here, 'meta', '_journal.json'))) return here;
  } catch {
    // import.meta.url is not a file: URL once bundled; fall back to the repository layout.
  }
  return path.join(findRepoRoot(), 'packages', 'db', 'drizzle');
}
