import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
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

/**
 * How many submissions an API key made at or after `since` (the /v1.0/improve daily limit).
 * Counted in the database, so the limit holds across restarts and web replicas.
 */
export async function countImprovements(db: Db, input: { apiKeyId: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(improvementSubmissions)
    .where(and(eq(improvementSubmissions.apiKeyId, input.apiKeyId), gte(improvementSubmissions.createdAt, input.since)));
  return Number(row?.n ?? 0);
}
