/**
 * The improvement-images export, apart from HTTP and sessions so it can be tested on a real
 * database and storage: records who exported how many, then streams the ZIP.
 */
import type { Db } from '@bgr/db/client';
import { listImprovementImages } from '@bgr/db/queries/admin';
import { writeAudit } from '@bgr/db/queries/audit';
import type { BlobStorage } from '~/server/storage';
import { improvementEntryName, improvementsManifest } from './manifest';
import { zipStream } from '~/server/zip/zip-stream';

const MAX_FILES = 5000;

export async function exportImprovements(opts: {
  db: Db;
  storage: BlobStorage;
  actorId: string;
  now?: Date;
}): Promise<{ count: number; body: ReadableStream<Uint8Array> }> {
  const items = await listImprovementImages(opts.db, { limit: MAX_FILES });
  await writeAudit(opts.db, {
    actorId: opts.actorId,
    action: 'improvements.export',
    details: { count: items.length },
    now: opts.now,
  });
  const named = items.map((item, i) => ({ item, name: improvementEntryName(item, i) }));
  const body = zipStream(
    named.map(({ item, name }) => ({
      name,
      // An unreadable object is reported in the manifest rather than breaking the whole download.
      read: () => opts.storage.get(item.storageKey).catch(() => null),
    })),
    { name: 'manifest.csv', text: (missing) => improvementsManifest(named, missing) },
  );
  return { count: items.length, body };
}
