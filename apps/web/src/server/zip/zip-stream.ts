/**
 * Streams a ZIP of files without holding the archive in memory, for the admin improvement export
 * and the bulk "Download all in HD". Files are stored, not re-compressed (images are compressed
 * already). Each file is read when the download asks for more, with at most `concurrency` reads in
 * flight (the next files are read while the current one is written), so a slow download never
 * makes the server read or render far ahead. Entries keep the order of `files`. A file whose read
 * gives null (deleted, failed) is skipped and named to `manifest` (one entry, or several), whose
 * text, when it returns one, is among the archive's last entries.
 */
import { Zip, ZipPassThrough } from 'fflate';

export type ZipSource = { name: string; read: () => Promise<Uint8Array | null> };

export type ZipManifest = {
  /** The manifest entry's name in the archive. */
  name: string;
  /** Its text, given the names of the files that were skipped; null: no manifest entry. */
  text: (missing: Set<string>) => string | null;
};

export type ZipStreamOptions = {
  /** Reads (renders) in flight at once; default 1. */
  concurrency?: number;
  /** Called after each file is written or skipped, with how many are done. */
  onProgress?: (done: number, total: number) => void;
};

function addFile(zip: Zip, name: string, bytes: Uint8Array): void {
  const entry = new ZipPassThrough(name);
  zip.add(entry);
  entry.push(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), true);
}

export function zipStream(
  files: ZipSource[],
  manifest: ZipManifest | ZipManifest[],
  opts: ZipStreamOptions = {},
): ReadableStream<Uint8Array> {
  const manifests = Array.isArray(manifest) ? manifest : [manifest];
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  let zip: Zip | undefined;
  let next = 0;
  const reads: Promise<Uint8Array | null>[] = [];
  const missing = new Set<string>();
  // A read that throws counts as missing rather than breaking the whole archive.
  const startRead = (i: number) => {
    reads[i] = files[i]!.read().catch(() => null);
  };
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
      // A skipped file writes nothing, and a pull that enqueues nothing is not called again while
      // the reader waits: so one pull goes on past skipped files until it writes something.
      for (;;) {
        if (!zip) return;
        const i = next++;
        const file = files[i];
        if (!file) break;
        for (let j = i; j < Math.min(files.length, i + concurrency); j++) if (!reads[j]) startRead(j);
        const bytes = await reads[i]!;
        delete reads[i];
        if (!zip) return;
        if (bytes) addFile(zip, file.name, bytes);
        else missing.add(file.name);
        opts.onProgress?.(i + 1, files.length);
        if (bytes) return;
      }
      for (const m of manifests) {
        const text = m.text(missing);
        if (text !== null) addFile(zip, m.name, new TextEncoder().encode(text));
      }
      zip.end();
      zip = undefined;
    },
    cancel() {
      zip?.terminate();
      zip = undefined;
    },
  });
}
