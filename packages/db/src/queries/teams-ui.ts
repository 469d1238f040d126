/**
 * Read models the team pages need beyond ./teams: what a team spent since an instant (the 80 %
 * budget notice), counted the way a member's cap counts it (held and captured team units; released
 * holds count nothing). A team's lots come from ./admin's listLots, as a person's do.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { holds } from '../schema';
import { holdCapUnits } from './ledger/team-share';

/** Team units all members took in [since, until). */
export async function teamSpentBetween(db: Db, input: { teamId: string; since: Date; until: Date }): Promise<number> {
  const [row] = await db
    .select({ units: sql<number>`coalesce(sum(${holdCapUnits}), 0)::int` })
    .from(holds)
    .where(and(eq(holds.teamId, input.teamId), gte(holds.createdAt, input.since), lt(holds.createdAt, input.until)));
  return Number(row?.units ?? 0);
}
