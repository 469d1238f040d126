import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { usageEvents, type UsageEvent } from '../schema';

export async function recordUsage(
  db: Db,
  input: {
    userId: string;
    apiKeyId?: string | null;
    channel: UsageEvent['channel'];
    kind: string;
    units: number;
    megapixels?: number;
    ok: boolean;
    errorCode?: string | null;
    now?: Date;
  },
): Promise<UsageEvent> {
  const [row] = await db
    .insert(usageEvents)
    .values({
      userId: input.userId,
      apiKeyId: input.apiKeyId ?? null,
      channel: input.channel,
      kind: input.kind,
      units: input.units,
      megapixels: input.megapixels ?? 0,
      ok: input.ok,
      errorCode: input.errorCode ?? null,
      ...(input.now ? { createdAt: input.now } : {}),
    })
    .returning();
  return row!;
}

export interface UsageDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  channel: UsageEvent['channel'];
  calls: number;
  failures: number;
  units: number;
  megapixels: number;
}

/** Per UTC day and channel, for one user (or everyone when userId is omitted), in [from, to). */
export async function usageByDay(db: Db, input: { userId?: string; from: Date; to: Date }): Promise<UsageDay[]> {
  const day = sql<string>`to_char(${usageEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const conditions = [gte(usageEvents.createdAt, input.from), lt(usageEvents.createdAt, input.to)];
  if (input.userId) conditions.push(eq(usageEvents.userId, input.userId));
  const rows = await db
    .select({
      day,
      channel: usageEvents.channel,
      calls: sql<number>`count(*)::int`,
      failures: sql<number>`(count(*) filter (where not ${usageEvents.ok}))::int`,
      units: sql<number>`coalesce(sum(${usageEvents.units}), 0)::int`,
      megapixels: sql<number>`coalesce(sum(${usageEvents.megapixels}), 0)::float8`,
    })
    .from(usageEvents)
    .where(and(...conditions))
    .groupBy(day, usageEvents.channel)
    .orderBy(day, usageEvents.channel);
  return rows.map((r) => ({
    ...r,
    calls: Number(r.calls),
    failures: Number(r.failures),
    units: Number(r.units),
    megapixels: Number(r.megapixels),
  }));
}
