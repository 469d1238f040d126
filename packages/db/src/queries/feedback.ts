/**
 * The help page's "Was this helpful?" answers: one vote per person and topic. Voting again
 * changes (or keeps) that person's answer and never adds a row, so the votes a person can leave
 * are bounded by the topics. The rule is the table's unique (user_id, topic) index (migration
 * 0012, which folded older duplicates into each person's latest vote); a vote is one upsert on
 * it, so concurrent clicks on any replica end in one row without a lock.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { helpFeedback, type HelpFeedback } from '../schema';

/**
 * Records `userId`'s answer on `topic`, replacing their earlier one. Without a person (the app
 * always has one: the help procedure needs sign-in) the vote is a row of its own: the unique
 * index ignores rows whose user_id is null.
 */
export async function recordHelpFeedback(
  db: Db,
  input: { userId?: string | null; topic: string; helpful: boolean; now?: Date },
): Promise<HelpFeedback> {
  const [row] = await db
    .insert(helpFeedback)
    .values({
      userId: input.userId ?? null,
      topic: input.topic,
      helpful: input.helpful,
      ...(input.now ? { createdAt: input.now } : {}),
    })
    .onConflictDoUpdate({ target: [helpFeedback.userId, helpFeedback.topic], set: { helpful: input.helpful } })
    .returning();
  return row!;
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
