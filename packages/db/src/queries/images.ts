import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { images, type Image } from '../schema';

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

export async function listRecentImages(db: Db, userId: string, limit = 20): Promise<Image[]> {
  return db.select().from(images).where(eq(images.userId, userId)).orderBy(desc(images.createdAt), desc(images.id)).limit(limit);
}

export async function setImageConsent(db: Db, input: { imageId: string; userId?: string; consentImprove: boolean }): Promise<Image | null> {
  const where = input.userId ? and(eq(images.id, input.imageId), eq(images.userId, input.userId)) : eq(images.id, input.imageId);
  const [row] = await db.update(images).set({ consentImprove: input.consentImprove }).where(where).returning();
  return row ?? null;
}

/** Records the paid full-size result of an image (the hold that paid for it and where it is stored). */
export async function markImageHd(
  db: Db,
  input: { imageId: string; holdId: string | null; resultKey: string; width?: number; height?: number; format?: string; now?: Date },
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
