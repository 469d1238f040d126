/**
 * Where originals and results live. A local folder by default; an S3-compatible object store can
 * implement the same three calls when the web tier is scaled out.
 */
export interface BlobStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** null when the object does not exist (deleted by retention, say). */
  get(key: string): Promise<Buffer | null>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix/` (one image's folder). */
  deleteFolder(prefix: string): Promise<void>;
}
