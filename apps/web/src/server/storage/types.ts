/** The storage contract, now in @bgr/storage (shared with the admin CLI); kept here so web imports stay put. */
export type { BlobStorage, StorageBody } from '@bgr/storage';
