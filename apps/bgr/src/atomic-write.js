// Writes a file so that readers see either nothing or the whole file: a temporary file beside the
// target, then a rename (atomic on one file system). An interrupted run leaves no half-written output.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * @param {string} file
 * @param {Uint8Array} bytes
 */
export async function writeFileAtomic(file, bytes) {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
