/**
 * The storage contract, one suite run against both backends: a local folder and an S3 store (a
 * real s3rver 3.7.1 on loopback, driven by the AWS SDK exactly as in production). Whatever the web
 * app relies on — round trips, streams, missing keys, listing, folder deletion, large multipart
 * objects, prefixes that do not see each other — must hold for both.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, InvalidStorageKeyError, PART_SIZE, S3Storage, type BlobStorage } from '../src/index';
import { startS3rver, type S3rverHandle } from '../test-support/s3rver';

const KINDS = ['local', 's3'] as const;

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** `size` bytes of deterministic noise as a stream of 64 KiB chunks, hashed as it is produced. */
function noise(size: number): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let seed = 12345;
  async function* chunks() {
    for (let sent = 0; sent < size; ) {
      const n = Math.min(65536, size - sent);
      const chunk = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        chunk[i] = seed >>> 24;
      }
      hash.update(chunk);
      sent += n;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), digest: () => hash.digest('hex') };
}

describe.each(KINDS)('storage contract: %s', (kind) => {
  let s3: S3rverHandle | undefined;
  let dir: string;
  /** A storage rooted at `prefix`: a subfolder, or a key prefix in the one bucket. */
  let open: (prefix: string) => BlobStorage;
  let storage: BlobStorage;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bgr-storage-contract-'));
    if (kind === 's3') {
      const server = await startS3rver();
      s3 = server;
      open = (prefix) => createStorage(server.storageUrl(prefix), { credentials: server.credentials });
    } else {
      open = (prefix) => createStorage(`file://${path.join(dir, prefix)}`);
    }
    storage = open('main');
  });

  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names itself with its storage URL', () => {
    expect(storage.url).toMatch(kind === 's3' ? /^s3:\/\/bgr-test\/main\?endpoint=/ : /^file:\/\/\/.*\/main$/);
  });

  it('puts and gets bytes, and a second put replaces the object', async () => {
    await storage.put('images/u1/a/original', new Uint8Array([1, 2, 3]));
    expect(await storage.get('images/u1/a/original')).toEqual(Buffer.from([1, 2, 3]));
    await storage.put('images/u1/a/original', new Uint8Array([9, 8]));
    expect(await storage.get('images/u1/a/original')).toEqual(Buffer.from([9, 8]));
    expect(await storage.head('images/u1/a/original')).toEqual({ size: 2 });
    expect(await storage.exists('images/u1/a/original')).toBe(true);
  });

  it('writes from a stream and reads back as a stream', async () => {
    await storage.put('streams/one.bin', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    const stream = await storage.stream('streams/one.bin');
    expect(stream).not.toBeNull();
    expect((await readAll(stream as Readable)).toString()).toBe('hello world');
  });

  it('stores an empty object', async () => {
    await storage.put('empty/zero', new Uint8Array(0));
    expect(await storage.get('empty/zero')).toEqual(Buffer.alloc(0));
    expect(await storage.head('empty/zero')).toEqual({ size: 0 });
  });

  it('answers null for a missing key, and deleting one is no error', async () => {
    expect(await storage.get('nope/missing')).toBeNull();
    expect(await storage.stream('nope/missing')).toBeNull();
    expect(await storage.head('nope/missing')).toBeNull();
    expect(await storage.exists('nope/missing')).toBe(false);
    await expect(storage.delete('nope/missing')).resolves.toBeUndefined();
    await expect(storage.deleteFolder('nope')).resolves.toBeUndefined();
    expect(await collect(storage.list('nope'))).toEqual([]);
  });

  it('refuses keys that could escape their folder or are not plain paths', async () => {
    for (const key of ['../x', '/abs', 'a//b', 'a/../b', '.hidden', 'a/', 'sp ace', '']) {
      await expect(storage.put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
  });

  it('lists keys under a folder, not those of a sibling with a longer name', async () => {
    const s = open('listing');
    for (const key of ['f/b', 'f/a/2', 'f/a/1', 'f/a-b', 'f-x/1', 'g']) await s.put(key, new TextEncoder().encode(key));
    expect((await collect(s.list('f'))).sort()).toEqual(['f/a-b', 'f/a/1', 'f/a/2', 'f/b']);
    expect((await collect(s.list('f/a'))).sort()).toEqual(['f/a/1', 'f/a/2']);
    expect((await collect(s.list())).sort()).toEqual(['f-x/1', 'f/a-b', 'f/a/1', 'f/a/2', 'f/b', 'g']);
  });

  it('deletes one object, and a whole folder without touching its neighbours', async () => {
    const s = open('deleting');
    for (const key of ['img/1/original', 'img/1/preview.png', 'img/1/sub/x', 'img/10/original', 'img/2/original'])
      await s.put(key, new Uint8Array([7]));
    await s.delete('img/2/original');
    expect(await s.exists('img/2/original')).toBe(false);
    await s.deleteFolder('img/1');
    expect(await collect(s.list())).toEqual(['img/10/original']);
  });

  it('keeps prefixes apart: same keys, separate objects, separate listings and deletions', async () => {
    const a = open('tenant-a');
    const ab = open('tenant-a-b');
    await a.put('shared/key', new Uint8Array([1]));
    await ab.put('shared/key', new Uint8Array([2]));
    await ab.put('only/b', new Uint8Array([3]));
    expect(await a.get('shared/key')).toEqual(Buffer.from([1]));
    expect(await ab.get('shared/key')).toEqual(Buffer.from([2]));
    expect(await a.get('only/b')).toBeNull();
    expect(await collect(a.list())).toEqual(['shared/key']);
    await a.deleteFolder('shared');
    expect(await ab.get('shared/key')).toEqual(Buffer.from([2]));
  });

  it('writes and streams back a large object (multipart on S3) byte for byte', async () => {
    const size = 2 * PART_SIZE + 123_457;
    const source = noise(size);
    // On S3, record which operations the write used.
    const operations: string[] = [];
    if (storage instanceof S3Storage) {
      storage.client.middlewareStack.add(
        (next, context) => (args) => {
          operations.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize', name: 'recordOperations' },
      );
    }
    await storage.put('large/result.png', source.stream);
    if (storage instanceof S3Storage) storage.client.middlewareStack.remove('recordOperations');
    const expected = source.digest();
    expect(await storage.head('large/result.png')).toEqual({ size });
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of (await storage.stream('large/result.png')) as Readable) {
      hash.update(chunk as Uint8Array);
      read += (chunk as Uint8Array).byteLength;
    }
    expect(read).toBe(size);
    expect(hash.digest('hex')).toBe(expected);
    if (storage instanceof S3Storage) {
      expect(operations.filter((op) => op === 'UploadPartCommand')).toHaveLength(3);
      expect(operations).toContain('CompleteMultipartUploadCommand');
      expect(operations).not.toContain('PutObjectCommand');
    }
  }, 120_000);
});
