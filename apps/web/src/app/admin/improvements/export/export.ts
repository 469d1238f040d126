/**
 * The improvement-images export, apart from HTTP and sessions so it can be tested on a real
 * database and storage: records who exported how many, then streams the ZIP, within the caps of
 * caps.ts (the newest images only, and no more than a size in all), within a date range when one
 * is given; what the caps left out is said in the ZIP's export-note.txt and manifest.csv.
 */
import type { Db } from '@bgr/db/client';
import { countImprovements, listImprovementImages } from '@bgr/db/queries/admin';
import { writeAudit } from '@bgr/db/queries/audit';
import { type DayRange, dayRangeText } from '~/lib/day-range';
import { createdRange } from '~/server/admin/improvement-range';
import type { BlobStorage } from '~/server/storage';
import {
  countCutSentence,
  EXPORT_NOTE_ENTRY,
  IMPROVEMENT_EXPORT_MAX_BYTES,
  IMPROVEMENT_EXPORT_MAX_FILES,
  sizeCutSentence,
} from './caps';
import { improvementEntryName, improvementsManifest } from './manifest';
import { zipStream } from '~/server/zip/zip-stream';

export type ImprovementExport = {
  /** Images listed in the export (at most maxFiles; the size cap may still leave the oldest out). */
  count: number;
  /** All improvement images there are (within the range, when there is one). */
  total: number;
  /** The sentence saying the count cap cut the export short; null when it did not. */
  countNote: string | null;
  body: ReadableStream<Uint8Array>;
};

export async function exportImprovements(opts: {
  db: Db;
  storage: BlobStorage;
  actorId: string;
  now?: Date;
  /** Only images contributed on these days (UTC); open ends when absent. */
  range?: DayRange;
  /** The caps; tests set small ones. */
  maxFiles?: number;
  maxBytes?: number;
}): Promise<ImprovementExport> {
  const maxFiles = opts.maxFiles ?? IMPROVEMENT_EXPORT_MAX_FILES;
  const maxBytes = opts.maxBytes ?? IMPROVEMENT_EXPORT_MAX_BYTES;
  const range = opts.range ?? { from: null, to: null };
  const within = createdRange(range);
  const listed = await listImprovementImages(opts.db, { limit: maxFiles + 1, range: within });
  const items = listed.slice(0, maxFiles);
  const total =
    listed.length > maxFiles ? Math.max(await countImprovements(opts.db, within), listed.length) : items.length;
  const countNote = total > items.length ? countCutSentence(total, maxFiles, dayRangeText(range)) : null;
  await writeAudit(opts.db, {
    actorId: opts.actorId,
    action: 'improvements.export',
    details: {
      count: items.length,
      ...(countNote ? { total } : {}),
      ...(range.from ? { from: range.from } : {}),
      ...(range.to ? { to: range.to } : {}),
    },
    now: opts.now,
  });
  const named = items.map((item, i) => ({ item, name: improvementEntryName(item, i) }));
  // zipStream reads one file at a time, in order (its default concurrency), so the running total
  // is the archive's size so far: the first image that would pass the cap, and every older one
  // after it, is left out without being read.
  let written = 0;
  let capped = false;
  const overSizeCap = new Set<string>();
  const body = zipStream(
    named.map(({ item, name }) => ({
      name,
      read: async () => {
        if (capped) {
          overSizeCap.add(name);
          return null;
        }
        // An unreadable object is reported in the manifest rather than breaking the whole download.
        const bytes = await opts.storage.get(item.storageKey).catch(() => null);
        if (!bytes) return null;
        if (written + bytes.byteLength > maxBytes) {
          capped = true;
          overSizeCap.add(name);
          return null;
        }
        written += bytes.byteLength;
        return bytes;
      },
    })),
    [
      { name: 'manifest.csv', text: (missing) => improvementsManifest(named, missing, overSizeCap) },
      {
        name: EXPORT_NOTE_ENTRY,
        text: () => {
          const notes = [countNote, overSizeCap.size > 0 ? sizeCutSentence(overSizeCap.size, maxBytes) : null];
          const text = notes.filter((n) => n !== null).join('\n');
          return text ? `${text}\n` : null;
        },
      },
    ],
  );
  return { count: items.length, total, countNote, body };
}
