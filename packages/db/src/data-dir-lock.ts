import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is a single-process database: two processes writing one data folder corrupt it. A lock file
 * holding the owner's pid keeps a second process (e.g. the admin CLI while the app runs) out.
 */
const LOCK_NAME = 'bgr.lock';
const heldInThisProcess = new Set<string>();
let exitHookInstalled = false;

function removeIfOurs(file: string): void {
  try {
    if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

/** One exit hook for all folders (not one listener per database opened). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of heldInThisProcess) removeIfOurs(file);
  });
}

export function dataDirInUseMessage(dir: string): string {
  return `The embedded database in ${dir} is in use by another process (the running app?); stop it or set DATABASE_URL.`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws a one-sentence error; returns the function that gives it back. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  if (heldInThisProcess.has(file)) throw new Error(dataDirInUseMessage(dir));
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      const content = readFileSync(file, 'utf8');
      if (content === '' && attempt < 2) {
        // Its creator has not written its pid yet: look again in a moment.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        continue;
      }
      const owner = Number.parseInt(content, 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner))
        throw new Error(dataDirInUseMessage(dir));
      // A lock left by a process that died (or by this pid in an earlier life): take it over.
      rmSync(file, { force: true });
    }
  }
  heldInThisProcess.add(file);
  installExitHook();
  return () => {
    if (heldInThisProcess.delete(file)) removeIfOurs(file);
  };
}
