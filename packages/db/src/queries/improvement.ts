import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { improvementSubmissions, users, type ImprovementSubmission } from '../schema';

/** An image a user explicitly sent to help improve the model (remove.bg's /improve). */
export async function createImprovement(
  db: Db,
  input: {
    userId: string;
    apiKeyId?: string | null;
    source: 'web' | 'api';
    storageKey: string;
    filename: string;
    tag?: string | null;
    now?: Date;
  },
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
export async function listImprovements(
  db: Db,
  opts: { limit?: number; before?: Date } = {},
): Promise<ImprovementSubmission[]> {
  return db
    .select()
    .from(improvementSubmissions)
    .where(opts.before ? lt(improvementSubmissions.createdAt, opts.before) : undefined)
    .orderBy(desc(improvementSubmissions.createdAt), desc(improvementSubmissions.id))
    .limit(opts.limit ?? 100);
}

/**
 * How many submissions a user made at or after `since` (the /v1.0/improve daily limit, per user:
 * more API keys do not raise it). Counted in the database, so the limit holds across restarts and
 * web replicas.
 */
export async function countImprovements(db: Db, input: { userId: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(improvementSubmissions)
    .where(and(eq(improvementSubmissions.userId, input.userId), gte(improvementSubmissions.createdAt, input.since)));
  return Number(row?.n ?? 0);
}

/**
 * Records a submission unless the user already made `limit` of them since `since`; null when
 * they did. Holds the user's row lock while counting, so concurrent submissions (on any replica,
 * through any key) cannot together pass the limit.
 */
export async function createImprovementWithinLimit(
  db: Db,
  input: Parameters<typeof createImprovement>[1] & { limit: number; since: Date },
): Promise<ImprovementSubmission | null> {
  return db.transaction(async (tx) => {
    const scoped = tx as unknown as Db;
    await scoped.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for('update');
    if ((await countImprovements(scoped, { userId: input.userId, since: input.since })) >= input.limit) return null;
    return createImprovement(scoped, input);
  });
}

/** Submissions stored before `before` (retention deletes their files, then the rows). */
export async function listExpiredImprovements(db: Db, before: Date, limit = 500): Promise<ImprovementSubmission[]> {
  return db
    .select()
    .from(improvementSubmissions)
    .where(lt(improvementSubmissions.createdAt, before))
    .orderBy(improvementSubmissions.createdAt)
    .limit(limit);
}

export async function deleteImprovement(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .delete(improvementSubmissions)
    .where(eq(improvementSubmissions.id, id))
    .returning({ id: improvementSubmissions.id });
  return rows.length > 0;
}
