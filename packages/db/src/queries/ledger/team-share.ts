/**
 * What a member may draw from their team, read inside the caller's transaction: their membership
 * (team, role, monthly cap) and how much of the cap this calendar month (UTC) has used — the team
 * units of their held and captured holds taken this month (released ones count nothing; a capture
 * of less than was held charged the team part first, so it counts min(captured, team units)).
 */
import { capMonth } from '@bgr/credits';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { holds, type TeamRole, teamMembers, teams } from '../../schema';

export interface Membership {
  teamId: string;
  teamName: string;
  role: TeamRole;
  monthlyCapUnits: number | null;
}

export async function membershipOf(tx: Db, userId: string): Promise<Membership | null> {
  const [row] = await tx
    .select({
      teamId: teamMembers.teamId,
      teamName: teams.name,
      role: teamMembers.role,
      monthlyCapUnits: teamMembers.monthlyCapUnits,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId));
  return row ?? null;
}

/** SQL: the team units a hold row counts against its member's cap. */
export const holdCapUnits = sql<number>`case ${holds.status} when 'held' then ${holds.teamUnits} when 'captured' then least(coalesce(${holds.capturedUnits}, 0), ${holds.teamUnits}) else 0 end`;

/** Team units the member's holds on `teamId` took in the calendar month (UTC) of `now`. */
export async function capUsedUnits(tx: Db, userId: string, teamId: string, now: Date): Promise<number> {
  const { start, end } = capMonth(now);
  const [row] = await tx
    .select({ units: sql<number>`coalesce(sum(${holdCapUnits}), 0)::int` })
    .from(holds)
    .where(
      and(eq(holds.userId, userId), eq(holds.teamId, teamId), gte(holds.createdAt, start), lt(holds.createdAt, end)),
    );
  return Number(row?.units ?? 0);
}
