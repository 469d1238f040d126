/**
 * @bgr/storage: where originals, previews, results, /improve submissions and exports live — a
 * local folder or an S3-compatible store, chosen by STORAGE_URL — behind one contract (BlobStorage).
 * Used by the web app and by the admin CLI's `storage copy`.
 */
import { LocalStorage } from './local';
import { S3Storage, type S3StorageOptions } from './s3';
import type { BlobStorage } from './types';
import { parseStorageUrl, type StorageLocation } from './url';

export { copyStorage, type CopyProgress, type CopyResult } from './copy';
export { storageKeys } from './keys';
export { LocalStorage } from './local';
export { PART_SIZE, S3Storage, type S3StorageOptions } from './s3';
export { assertSafeKey, InvalidStorageKeyError, isSafeKey, type BlobStorage, type StorageBody } from './types';
export {
  formatStorageUrl,
  parseStorageUrl,
  StorageUrlError,
  type FileLocation,
  type S3Location,
  type StorageLocation,
} from './url';

/** The storage at a location or storage URL. */
export function createStorage(where: StorageLocation | string, options: S3StorageOptions = {}): BlobStorage {
  const location = typeof where === 'string' ? parseStorageUrl(where) : where;
  return location.kind === 'file' ? new LocalStorage(location.root) : new S3Storage(location, options);
}
