/**
 * Retention: originals, previews and results older than RETENTION_DAYS are deleted together with
 * their image rows (`days`: env().retentionDays, passed in by the scheduler), and so are /v1.0/improve submissions (file, then row). Ledger entries and
 * usage events stay (they are the accounting record).
 */
import type { Db } from '@bgr/db/client';
import { deleteImage, listExpiredImages } from '@bgr/db/queries/images';
import { deleteImprovement, listExpiredImprovements } from '@bgr/db/queries/improvement';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';

/**
 * Deletes, batch by batch until nothing old is left, whatever `list` finds older than `days`:
 * its files first (a crash between the two leaves a row without files, shown as gone, never
 * orphaned files), then its row.
 */
async function deleteExpired<T>(
  opts: { now?: Date; days: number },
  list: (before: Date) => Promise<T[]>,
  remove: (item: T) => Promise<void>,
): Promise<{ deleted: number }> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - opts.days * 24 * 60 * 60 * 1000);
  let deleted = 0;
  for (;;) {
    const expired = await list(before);
    if (expired.length === 0) break;
    for (const item of expired) {
      await remove(item);
      deleted++;
    }
  }
  return { deleted };
}

export function deleteExpiredImages(
  deps: { db: Db; storage: BlobStorage },
  opts: { now?: Date; days: number },
): Promise<{ deleted: number }> {
  return deleteExpired(
    opts,
    (before) => listExpiredImages(deps.db, before),
    async (image) => {
      await deps.storage.deleteFolder(storageKeys.folderOf(image.storageKey));
      await deleteImage(deps.db, image.id);
    },
  );
}

/** /v1.0/improve submissions older than RETENTION_DAYS: their stored image, then the row. */
export function deleteExpiredImprovements(
  deps: { db: Db; storage: BlobStorage },
  opts: { now?: Date; days: number },
): Promise<{ deleted: number }> {
  return deleteExpired(
    opts,
    (before) => listExpiredImprovements(deps.db, before),
    async (submission) => {
      await deps.storage.delete(submission.storageKey);
      await deleteImprovement(deps.db, submission.id);
    },
  );
}
