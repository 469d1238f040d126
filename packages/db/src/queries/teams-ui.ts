/**
 * Read models the team pages need beyond ./teams: a team's lots with their state (the admin's lots
 * table, as listUserLots gives a person's) and what a team spent since an instant (the 80 % budget
 * notice), counted the way a member's cap counts it (held and captured team units; released holds
 * count nothing).
 */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { holds, lots } from '../schema';
import type { LotView } from './admin';
import { holdCapUnits } from './ledger/team-share';

/** Every lot of the team, newest first, with its state at `now`. */
export async function listTeamLots(db: Db, opts: { teamId: string; now?: Date; limit?: number }): Promise<LotView[]> {
  const now = (opts.now ?? new Date()).getTime();
  const rows = await db
    .select()
    .from(lots)
    .where(eq(lots.teamId, opts.teamId))
    .orderBy(desc(lots.createdAt), desc(lots.id))
    .limit(opts.limit ?? 200);
  return rows.map((l) => ({
    id: l.id,
    kind: l.kind,
    amount: l.amount,
    remaining: l.remaining,
    effectiveAt: l.effectiveAt,
    expiresAt: l.expiresAt,
    note: l.note,
    createdAt: l.createdAt,
    state:
      l.expiresAt && l.expiresAt.getTime() <= now
        ? 'expired'
        : l.effectiveAt.getTime() > now
          ? 'pending'
          : l.remaining === 0
            ? 'used'
            : 'live',
  }));
}

/** Team units all members took in [since, until). */
export async function teamSpentBetween(db: Db, input: { teamId: string; since: Date; until: Date }): Promise<number> {
  const [row] = await db
    .select({ units: sql<number>`coalesce(sum(${holdCapUnits}), 0)::int` })
    .from(holds)
    .where(and(eq(holds.teamId, input.teamId), gte(holds.createdAt, input.since), lt(holds.createdAt, input.until)));
  return Number(row?.units ?? 0);
}
