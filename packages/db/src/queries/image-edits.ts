/**
 * A person's erase/restore strokes on an image (table image_edits, one row per image). The web app
 * validates the document (@bgr/strokes) and computes its revision before saving; these functions
 * only store, read and delete it. Ownership is checked against the image's user in the same query,
 * so another person's image id reads as nothing and saves nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { type ImageEdit, imageEdits, images } from '../schema';

/** The image's stored edit, or null (none saved, or not this user's image). */
export async function getImageEdit(db: Db, input: { imageId: string; userId: string }): Promise<ImageEdit | null> {
  const [row] = await db
    .select({ edit: imageEdits })
    .from(imageEdits)
    .innerJoin(images, eq(images.id, imageEdits.imageId))
    .where(and(eq(imageEdits.imageId, input.imageId), eq(images.userId, input.userId)));
  return row?.edit ?? null;
}

/**
 * Stores (replaces) the image's edit. Returns the row, or null when the image is not this user's
 * (nothing is written then).
 */
export async function saveImageEdit(
  db: Db,
  input: {
    imageId: string;
    userId: string;
    document: unknown;
    strokeCount: number;
    bytes: number;
    revision: string;
    now?: Date;
  },
): Promise<ImageEdit | null> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // The image row locked, so a save racing the image's deletion either lands first (and is
    // deleted with it) or finds no image.
    const [owned] = await tx
      .select({ id: images.id })
      .from(images)
      .where(and(eq(images.id, input.imageId), eq(images.userId, input.userId)))
      .for('update');
    if (!owned) return null;
    const values = {
      document: input.document,
      strokeCount: input.strokeCount,
      bytes: input.bytes,
      revision: input.revision,
      updatedAt: now,
    };
    const [row] = await tx
      .insert(imageEdits)
      .values({ imageId: input.imageId, ...values })
      .onConflictDoUpdate({ target: imageEdits.imageId, set: values })
      .returning();
    return row!;
  });
}

/** Deletes the image's edit ("Reset to automatic"). Returns whether there was one. */
export async function resetImageEdit(db: Db, input: { imageId: string; userId: string }): Promise<boolean> {
  const owned = db
    .select({ id: images.id })
    .from(images)
    .where(and(eq(images.id, input.imageId), eq(images.userId, input.userId)));
  const rows = await db
    .delete(imageEdits)
    .where(and(eq(imageEdits.imageId, input.imageId), inArray(imageEdits.imageId, owned)))
    .returning({ imageId: imageEdits.imageId });
  return rows.length > 0;
}
