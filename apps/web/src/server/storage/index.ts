/**
 * The web process's storage: the one configured by STORAGE_URL (or the older STORAGE_DIR; by
 * default the <repo>/storage folder), from @bgr/storage. Web modules import from here, so the
 * backend is chosen in one place.
 */
import { createStorage, formatStorageUrl, type BlobStorage } from '@bgr/storage';
import { env } from '~/env';

export { LocalStorage, storageKeys, type BlobStorage } from '@bgr/storage';

let instance: { url: string; storage: BlobStorage } | null = null;

/** The configured storage (created again when the configuration changes, as in tests). */
export function getStorage(): BlobStorage {
  const location = env().storage.location;
  const url = formatStorageUrl(location);
  if (instance?.url !== url) instance = { url, storage: createStorage(location) };
  return instance.storage;
}
