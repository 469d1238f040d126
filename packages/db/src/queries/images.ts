import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, max } from 'drizzle-orm';
import type { Db } from '../client';
import { imageVariants, images, type Image } from '../schema';

export async function createImage(
  db: Db,
  input: {
    userId: string;
    contentHash: string;
    originalName: string;
    width: number;
    height: number;
    bytes: number;
    storageKey: string;
    consentImprove: boolean;
    source: 'web' | 'api';
    /** Set when the image was dropped with others (bulk upload). */
    batchId?: string | null;
    /** Its place among the files chosen for the batch (0 = first); null outside a batch. */
    batchPosition?: number | null;
    now?: Date;
  },
): Promise<Image> {
  const { now, ...values } = input;
  const [row] = await db
    .insert(images)
    .values({ ...values, ...(now ? { createdAt: now } : {}) })
    .returning();
  return row!;
}

export async function getImage(db: Db, id: string): Promise<Image | null> {
  const [row] = await db.select().from(images).where(eq(images.id, id));
  return row ?? null;
}

export async function listRecentImages(
  db: Db,
  userId: string,
  limit = 20,
  opts: { excludeBatched?: boolean } = {},
): Promise<Image[]> {
  return db
    .select()
    .from(images)
    .where(opts.excludeBatched ? and(eq(images.userId, userId), isNull(images.batchId)) : eq(images.userId, userId))
    .orderBy(desc(images.createdAt), desc(images.id))
    .limit(limit);
}

/** A user's images among `ids` (others' and unknown ids are simply absent). */
export async function listOwnImages(db: Db, userId: string, ids: string[]): Promise<Image[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(images)
    .where(and(eq(images.userId, userId), inArray(images.id, ids)));
}

/** How many images a user's batch holds. */
export async function countBatchImages(db: Db, input: { userId: string; batchId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(images)
    .where(and(eq(images.userId, input.userId), eq(images.batchId, input.batchId)));
  return row?.n ?? 0;
}

/**
 * A user's most recent batches (newest upload first), each with its images in the order the files
 * were chosen (their batch position; uploads finish in any order), then upload order.
 */
export async function listRecentBatches(
  db: Db,
  userId: string,
  limit = 5,
): Promise<{ batchId: string; createdAt: Date; images: Image[] }[]> {
  const latest = max(images.createdAt);
  const heads = await db
    .select({ batchId: images.batchId, createdAt: latest })
    .from(images)
    .where(and(eq(images.userId, userId), isNotNull(images.batchId)))
    .groupBy(images.batchId)
    .orderBy(desc(latest), desc(images.batchId))
    .limit(limit);
  const ids = heads.map((h) => h.batchId!);
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(images)
    .where(and(eq(images.userId, userId), inArray(images.batchId, ids)))
    .orderBy(asc(images.batchPosition), images.createdAt, images.id);
  return heads.map((h) => ({
    batchId: h.batchId!,
    createdAt: h.createdAt ?? new Date(0),
    images: rows.filter((r) => r.batchId === h.batchId),
  }));
}

export async function setImageConsent(
  db: Db,
  input: { imageId: string; userId?: string; consentImprove: boolean },
): Promise<Image | null> {
  const where = input.userId
    ? and(eq(images.id, input.imageId), eq(images.userId, input.userId))
    : eq(images.id, input.imageId);
  const [row] = await db.update(images).set({ consentImprove: input.consentImprove }).where(where).returning();
  return row ?? null;
}

/** Records the paid full-size result of an image (the hold that paid for it and where it is stored). */
export async function markImageHd(
  db: Db,
  input: {
    imageId: string;
    holdId: string | null;
    resultKey: string;
    width?: number;
    height?: number;
    format?: string;
    now?: Date;
  },
): Promise<Image | null> {
  const [row] = await db
    .update(images)
    .set({
      status: 'hd',
      hdHoldId: input.holdId,
      hdResultKey: input.resultKey,
      hdWidth: input.width ?? null,
      hdHeight: input.height ?? null,
      hdFormat: input.format ?? null,
      hdAt: input.now ?? new Date(),
    })
    .where(eq(images.id, input.imageId))
    .returning();
  return row ?? null;
}

/** Images uploaded before `before` (retention). */
export async function listExpiredImages(db: Db, before: Date, limit = 500): Promise<Image[]> {
  return db.select().from(images).where(lt(images.createdAt, before)).orderBy(images.createdAt).limit(limit);
}

export async function deleteImage(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(images).where(eq(images.id, id)).returning({ id: images.id });
  return rows.length > 0;
}

/** How many stored HD renders (backgrounds × formats) an image keeps; older ones are evicted. */
export const MAX_IMAGE_VARIANTS = 8;

/**
 * Records a stored HD render of an image (again: it becomes the newest) and forgets the oldest
 * beyond `keep`, under the image's row lock. Returns the storage keys forgotten: delete their files.
 */
export async function addImageVariant(
  db: Db,
  input: { imageId: string; storageKey: string; keep?: number; now?: Date },
): Promise<string[]> {
  const keep = input.keep ?? MAX_IMAGE_VARIANTS;
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await tx.select({ id: images.id }).from(images).where(eq(images.id, input.imageId)).for('update');
    await tx
      .insert(imageVariants)
      .values({ imageId: input.imageId, storageKey: input.storageKey, createdAt: now })
      .onConflictDoUpdate({ target: [imageVariants.imageId, imageVariants.storageKey], set: { createdAt: now } });
    const stale = await tx
      .select({ storageKey: imageVariants.storageKey })
      .from(imageVariants)
      .where(eq(imageVariants.imageId, input.imageId))
      .orderBy(desc(imageVariants.createdAt), desc(imageVariants.storageKey))
      .offset(keep);
    for (const v of stale) {
      await tx
        .delete(imageVariants)
        .where(and(eq(imageVariants.imageId, input.imageId), eq(imageVariants.storageKey, v.storageKey)));
    }
    return stale.map((v) => v.storageKey);
  });
}

export async function listImageVariants(db: Db, imageId: string): Promise<string[]> {
  const rows = await db
    .select({ storageKey: imageVariants.storageKey })
    .from(imageVariants)
    .where(eq(imageVariants.imageId, imageId))
    .orderBy(desc(imageVariants.createdAt));
  return rows.map((r) => r.storageKey);
}
