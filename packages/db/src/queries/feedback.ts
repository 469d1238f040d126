/**
 * The help page's "Was this helpful?" answers: one vote per person and topic. Voting again
 * changes (or keeps) that person's answer and never adds a row, so the votes a person can leave
 * are bounded by the topics. The table has no unique (user_id, topic) index, so the rule is kept
 * here: under the person's row lock, the newest earlier vote is updated and any older ones (left
 * from before this rule) are removed, so concurrent clicks on any replica end in one row.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { helpFeedback, type HelpFeedback, users } from '../schema';

/**
 * Records `userId`'s answer on `topic`, replacing their earlier one. Without a person (the app
 * always has one: the help procedure needs sign-in) the vote is a row of its own.
 */
export async function recordHelpFeedback(
  db: Db,
  input: { userId?: string | null; topic: string; helpful: boolean; now?: Date },
): Promise<HelpFeedback> {
  const values = {
    userId: input.userId ?? null,
    topic: input.topic,
    helpful: input.helpful,
    ...(input.now ? { createdAt: input.now } : {}),
  };
  const userId = input.userId;
  if (!userId) {
    const [row] = await db.insert(helpFeedback).values(values).returning();
    return row!;
  }
  return db.transaction(async (tx) => {
    const scoped = tx as unknown as Db;
    await scoped.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    const earlier = await scoped
      .select({ id: helpFeedback.id })
      .from(helpFeedback)
      .where(and(eq(helpFeedback.userId, userId), eq(helpFeedback.topic, input.topic)))
      .orderBy(desc(helpFeedback.createdAt), desc(helpFeedback.id));
    const [kept, ...older] = earlier;
    if (!kept) {
      const [row] = await scoped.insert(helpFeedback).values(values).returning();
      return row!;
    }
    if (older.length > 0)
      await scoped.delete(helpFeedback).where(
        inArray(
          helpFeedback.id,
          older.map((o) => o.id),
        ),
      );
    const [row] = await scoped
      .update(helpFeedback)
      .set({ helpful: input.helpful })
      .where(eq(helpFeedback.id, kept.id))
      .returning();
    return row!;
  });
}

/** Helpful / not helpful votes per topic. */
export async function helpFeedbackCounts(db: Db): Promise<{ topic: string; helpful: number; notHelpful: number }[]> {
  const rows = await db
    .select({
      topic: helpFeedback.topic,
      helpful: sql<number>`(count(*) filter (where ${helpFeedback.helpful}))::int`,
      notHelpful: sql<number>`(count(*) filter (where not ${helpFeedback.helpful}))::int`,
    })
    .from(helpFeedback)
    .groupBy(helpFeedback.topic)
    .orderBy(helpFeedback.topic);
  return rows.map((r) => ({ topic: r.topic, helpful: Number(r.helpful), notHelpful: Number(r.notHelpful) }));
}
