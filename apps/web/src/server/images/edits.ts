/**
 * A person's erase/restore brush strokes on one of their images: read, save (replace) and reset.
 * The document is validated with @bgr/strokes (caps: 2,000 strokes, 256 KB, a paint budget) and
 * refused with its sentence (400) before anything is stored. Editing is free; saves count against
 * a generous per-user limit (an editor may save after every stroke). HD renders read the stored
 * edit through editForRender, so each revision is its own stored variant.
 */
import type { Db } from '@bgr/db/client';
import { getImageEdit, resetImageEdit, saveImageEdit } from '@bgr/db/queries/image-edits';
import { getImage } from '@bgr/db/queries/images';
import { type EditDocument, parseEditDocument, strokesRevision } from '@bgr/strokes';
import { AppError } from '../errors/app-error';
import { takeWebQuota } from '../web-quota';

export type EditView = { document: EditDocument | null; revision: string | null; updatedAt: Date | null };

async function requireOwnImage(db: Db, userId: string, imageId: string) {
  const image = await getImage(db, imageId);
  if (!image || image.userId !== userId) {
    throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  }
  return image;
}

/** The stored document as the strokes package reads it; a row that no longer parses counts as no edit. */
function readStored(row: { document: unknown; revision: string; updatedAt: Date } | null) {
  if (!row) return null;
  const parsed = parseEditDocument(row.document);
  return parsed.ok ? { document: parsed.document, revision: row.revision, updatedAt: row.updatedAt } : null;
}

export async function getEdit(db: Db, userId: string, imageId: string): Promise<EditView> {
  await requireOwnImage(db, userId, imageId);
  const stored = readStored(await getImageEdit(db, { imageId, userId }));
  return stored ?? { document: null, revision: null, updatedAt: null };
}

/**
 * Validates and stores the edit. An edit without strokes is a reset. Returns the revision (null
 * after a reset) and when it was saved.
 */
export async function saveEdit(
  db: Db,
  userId: string,
  imageId: string,
  input: unknown,
  now?: Date,
): Promise<{ revision: string | null; strokeCount: number; updatedAt: Date | null }> {
  await requireOwnImage(db, userId, imageId);
  const parsed = parseEditDocument(input);
  if (!parsed.ok) throw new AppError('invalid_edit', parsed.error, 400);
  await takeWebQuota(db, userId, 'edit', 1, now);
  const document = parsed.document;
  if (document.strokes.length === 0) {
    await resetImageEdit(db, { imageId, userId });
    return { revision: null, strokeCount: 0, updatedAt: null };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(document)).length;
  const row = await saveImageEdit(db, {
    imageId,
    userId,
    document,
    strokeCount: document.strokes.length,
    bytes,
    revision: strokesRevision(document),
    ...(now ? { now } : {}),
  });
  if (!row) throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  return { revision: row.revision, strokeCount: row.strokeCount, updatedAt: row.updatedAt };
}

/** "Reset to automatic": forgets the image's strokes. */
export async function resetEdit(db: Db, userId: string, imageId: string): Promise<{ reset: boolean }> {
  await requireOwnImage(db, userId, imageId);
  return { reset: await resetImageEdit(db, { imageId, userId }) };
}

/** The edit an HD render of this image applies, with its revision; null when there is none. */
export async function editForRender(
  db: Db,
  image: { id: string; userId: string },
): Promise<{ document: EditDocument; revision: string } | null> {
  const stored = readStored(await getImageEdit(db, { imageId: image.id, userId: image.userId }));
  return stored ? { document: stored.document, revision: stored.revision } : null;
}
