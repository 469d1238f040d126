/**
 * The shared streaming ZIP writer: entries in the given order, at most `concurrency` reads in
 * flight, failed or missing files (several in a row too) named to the manifest, and no manifest entry
 * when it has nothing to say.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8, strToU8 } from 'fflate';
import { zipStream, type ZipSource } from '~/server/zip/zip-stream';

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('zipStream', () => {
  it('keeps the order, bounds the reads in flight and lists what could not be read', async () => {
    let inFlight = 0;
    let most = 0;
    const progress: number[] = [];
    const files: ZipSource[] = Array.from({ length: 7 }, (_, i) => ({
      name: `f${i}.txt`,
      read: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        // Later files finish first: the archive must still keep the order.
        await sleep(30 - i * 4);
        inFlight--;
        if (i === 2) return null;
        if (i === 4) throw new Error('render failed');
        return strToU8(`file ${i}`);
      },
    }));
    const zip = unzipSync(
      await collect(
        zipStream(
          files,
          { name: 'failed.txt', text: (missing) => [...missing].join('\n') },
          { concurrency: 3, onProgress: (done) => progress.push(done) },
        ),
      ),
    );
    expect(Object.keys(zip)).toEqual(['f0.txt', 'f1.txt', 'f3.txt', 'f5.txt', 'f6.txt', 'failed.txt']);
    expect(strFromU8(zip['f5.txt']!)).toBe('file 5');
    expect(strFromU8(zip['failed.txt']!)).toBe('f2.txt\nf4.txt');
    expect(most).toBe(3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads one file at a time by default and leaves the manifest out when it returns null', async () => {
    let inFlight = 0;
    let most = 0;
    const files: ZipSource[] = ['a', 'b', 'c'].map((name) => ({
      name,
      read: async () => {
        most = Math.max(most, ++inFlight);
        await sleep(5);
        inFlight--;
        return strToU8(name);
      },
    }));
    const zip = unzipSync(await collect(zipStream(files, { name: 'manifest.csv', text: () => null })));
    expect(Object.keys(zip)).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
  });

  it('finishes when several files in a row, or all of them, cannot be read', async () => {
    const files: ZipSource[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({
      name,
      read: async () => (name === 'a' || name === 'e' ? strToU8(name) : null),
    }));
    const zip = unzipSync(
      await collect(
        zipStream(files, [
          { name: 'missing.txt', text: (m) => [...m].join(',') },
          { name: 'x', text: () => null },
        ]),
      ),
    );
    expect(Object.keys(zip)).toEqual(['a', 'e', 'missing.txt']);
    expect(strFromU8(zip['missing.txt']!)).toBe('b,c,d,f');
    const none = files.map((f) => ({ ...f, read: async () => null }));
    const empty = unzipSync(await collect(zipStream(none, { name: 'missing.txt', text: (m) => String(m.size) })));
    expect(strFromU8(empty['missing.txt']!)).toBe('6');
  });
});
