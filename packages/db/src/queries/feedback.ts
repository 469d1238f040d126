import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { helpFeedback, type HelpFeedback } from '../schema';

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
