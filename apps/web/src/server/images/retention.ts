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

export async function deleteExpiredImages(
  deps: { db: Db; storage: BlobStorage },
  opts: { now?: Date; days: number },
): Promise<{ deleted: number }> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - opts.days * 24 * 60 * 60 * 1000);
  let deleted = 0;
  // The query answers in batches; keep going until nothing old is left.
  for (;;) {
    const expired = await listExpiredImages(deps.db, before);
    if (expired.length === 0) break;
    for (const image of expired) {
      // Files first: a crash between the two leaves a row without files (shown as gone), never orphans.
      await deps.storage.deleteFolder(storageKeys.folderOf(image.storageKey));
      await deleteImage(deps.db, image.id);
      deleted++;
    }
  }
  return { deleted };
}

/** /v1.0/improve submissions older than RETENTION_DAYS: their stored image, then the row. */
export async function deleteExpiredImprovements(
  deps: { db: Db; storage: BlobStorage },
  opts: { now?: Date; days: number },
): Promise<{ deleted: number }> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - opts.days * 24 * 60 * 60 * 1000);
  let deleted = 0;
  for (;;) {
    const expired = await listExpiredImprovements(deps.db, before);
    if (expired.length === 0) break;
    for (const submission of expired) {
      await deps.storage.delete(submission.storageKey);
      await deleteImprovement(deps.db, submission.id);
      deleted++;
    }
  }
  return { deleted };
}
