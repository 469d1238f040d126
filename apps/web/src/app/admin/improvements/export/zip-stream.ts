/**
 * Streams a ZIP of stored files without holding the archive in memory: one file is read per
 * pull, so a slow download never makes the server read ahead. Files are stored, not
 * re-compressed (images are compressed already). Files that are missing by the time they are
 * read (deleted by retention) are skipped and named in the manifest.
 */
import { Zip, ZipPassThrough } from 'fflate';

export type ZipSource = { name: string; read: () => Promise<Uint8Array | null> };

function addFile(zip: Zip, name: string, bytes: Uint8Array): void {
  const entry = new ZipPassThrough(name);
  zip.add(entry);
  entry.push(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), true);
}

export function zipStream(files: ZipSource[], manifest: (missing: Set<string>) => string): ReadableStream<Uint8Array> {
  let zip: Zip | undefined;
  let next = 0;
  const missing = new Set<string>();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // fflate calls back synchronously from add/push/end, so every chunk is enqueued in the pull that made it.
      zip = new Zip((err, chunk, final) => {
        if (err) return controller.error(err);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      if (!zip) return;
      const file = files[next++];
      if (file) {
        const bytes = await file.read();
        if (bytes) addFile(zip, file.name, bytes);
        else missing.add(file.name);
        return;
      }
      addFile(zip, 'manifest.csv', new TextEncoder().encode(manifest(missing)));
      zip.end();
      zip = undefined;
    },
    cancel() {
      zip?.terminate();
    },
  });
}
