/**
 * The one storage contract: originals, previews, results, /improve submissions and exports are
 * objects under keys. A local folder (one machine) and an S3-compatible store (several web
 * replicas) implement it identically; test/contract.test.ts runs the same suite against both.
 */
import type { Readable } from 'node:stream';

/** Bytes in memory, or a stream (written without holding the whole object in memory). */
export type StorageBody = Uint8Array | Readable;

export interface BlobStorage {
  /** Where the objects live, as a storage URL (for logs and the copy command). */
  readonly url: string;
  /** Writes the object whole: a reader never sees half of it. */
  put(key: string, body: StorageBody): Promise<void>;
  /** The object's bytes; null when it does not exist (deleted by retention, say). */
  get(key: string): Promise<Buffer | null>;
  /** The object as a stream, for large objects; null when it does not exist. */
  stream(key: string): Promise<Readable | null>;
  /** The object's size; null when it does not exist. */
  head(key: string): Promise<{ size: number } | null>;
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix/` (every key when omitted), in no promised order. */
  list(prefix?: string): AsyncIterable<string>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix/` (one image's folder). */
  deleteFolder(prefix: string): Promise<void>;
}

/** A key outside the allowed form (see assertSafeKey). */
export class InvalidStorageKeyError extends Error {
  override name = 'InvalidStorageKeyError';
}

/** Keys are relative paths of safe segments: no "..", no absolute paths, no odd characters. */
export function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw new InvalidStorageKeyError(`Invalid storage key: ${JSON.stringify(key)}`);
}

export function isSafeKey(key: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(key) && !key.includes('..');
}
