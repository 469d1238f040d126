/**
 * The team usage chart's rows: the ledger's team credits charged per member and UTC day, laid out
 * over every day of the range (an even time axis), `{ day, byMember: { userId: units } }`.
 */
import type { Db } from '@bgr/db/client';
import { daysBetween } from '@bgr/db/queries/reports';
import { teamUsageByMember } from '@bgr/db/queries/teams';

export type MemberDay = { day: string; byMember: Record<string, number> };

/** From the start of `since`'s UTC day up to and including `until` (the window the other usage reports take). */
export async function memberDays(
  db: Db,
  teamId: string,
  { since, until }: { since: Date; until: Date },
): Promise<MemberDay[]> {
  const from = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  const rows = await teamUsageByMember(db, teamId, from, new Date(until.getTime() + 1));
  const byDay = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const day = byDay.get(r.day) ?? {};
    day[r.userId] = (day[r.userId] ?? 0) + r.units;
    byDay.set(r.day, day);
  }
  return daysBetween(from, until).map((day) => ({ day, byMember: byDay.get(day) ?? {} }));
}
