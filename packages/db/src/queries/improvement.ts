import { desc, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { improvementSubmissions, type ImprovementSubmission } from '../schema';

/** An image a user explicitly sent to help improve the model (remove.bg's /improve). */
export async function createImprovement(
  db: Db,
  input: { userId: string; apiKeyId?: string | null; source: 'web' | 'api'; storageKey: string; filename: string; tag?: string | null; now?: Date },
): Promise<ImprovementSubmission> {
  const [row] = await db
    .insert(improvementSubmissions)
    .values({
      userId: input.userId,
      apiKeyId: input.apiKeyId ?? null,
      source: input.source,
      storageKey: input.storageKey,
      filename: input.filename,
      tag: input.tag ?? null,
      ...(input.now ? { createdAt: input.now } : {}),
    })
    .returning();
  return row!;
}

/** Newest first; `before` pages backwards by creation time. */
export async function listImprovements(db: Db, opts: { limit?: number; before?: Date } = {}): Promise<ImprovementSubmission[]> {
  return db
    .select()
    .from(improvementSubmissions)
    .where(opts.before ? lt(improvementSubmissions.createdAt, opts.before) : undefined)
    .orderBy(desc(improvementSubmissions.createdAt), desc(improvementSubmissions.id))
    .limit(opts.limit ?? 100);
}
