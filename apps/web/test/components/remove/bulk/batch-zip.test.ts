/**
 * The browser's reading of the streamed ZIP: every image entry is announced as it arrives (the
 * progress bar), failed.txt is read for the reasons, and the bytes kept are the whole archive.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { readBatchZip } from '~/components/remove/bulk/batch-zip';
import { FAILED_ENTRY } from '~/lib/batch';
import { zipStream } from '~/server/zip/zip-stream';

/** Re-chunks a stream into small random pieces, as a network does. */
function rechunk(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        for (let at = 0; at < chunk.length; ) {
          const n = 1 + Math.floor(Math.random() * 5000);
          controller.enqueue(chunk.subarray(at, at + n));
          at += n;
        }
      },
    }),
  );
}

describe('readBatchZip', () => {
  it('names each entry as it arrives, reads failed.txt and keeps the archive whole', async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}-no-bg.png`, bytes: randomBytes(20_000 + i) }));
    const stream = zipStream(
      files.map((f, i) => ({ name: f.name, read: async () => (i === 3 ? null : new Uint8Array(f.bytes)) })),
      { name: FAILED_ENTRY, text: (missing) => [...missing].map((m) => `${m}: It failed.`).join('\n') },
      { concurrency: 2 },
    );
    const seen: string[] = [];
    const { chunks, failed } = await readBatchZip(rechunk(stream), (name) => seen.push(name));
    expect(seen).toEqual(['p0-no-bg.png', 'p1-no-bg.png', 'p2-no-bg.png', 'p4-no-bg.png']);
    expect(failed).toEqual(['p3-no-bg.png: It failed.']);
    const whole = new Uint8Array(Buffer.concat(chunks));
    const zip = unzipSync(whole);
    expect(Object.keys(zip)).toEqual(['p0-no-bg.png', 'p1-no-bg.png', 'p2-no-bg.png', 'p4-no-bg.png', FAILED_ENTRY]);
    expect(Buffer.from(zip['p4-no-bg.png']!).equals(files[4]!.bytes)).toBe(true);
  });
});
