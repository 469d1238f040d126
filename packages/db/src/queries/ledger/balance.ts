/**
 * What a person or a team can spend, read in one snapshot without writing: lots past their expiry
 * ignored and due renewals projected as a writer would apply them, for one owner or many people at
 * once. A team member's balance adds their team share: the team's credits up to what their monthly
 * cap leaves (capLeft/teamShare in @bgr/credits), so `totalUnits` is what they can spend.
 */
import { capLeft, capMonth, type Lot, type LotKind, projectRenewals, summarizeLots, teamShare } from '@bgr/credits';
import { and, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { holds, lots, type SubscriptionRow, subscriptions, type TeamRole, teamMembers, teams } from '../../schema';
import { type Owner, type OwnerRef, ownerOf, ownedBy } from './owner';
import { activeSubscription, loadLots, toLot, toSubscription } from './rows';
import { holdCapUnits } from './team-share';

/** A member's part of their team's credits at `now`. */
export interface TeamShare {
  teamId: string;
  name: string;
  role: TeamRole;
  /** Monthly cap on team credits in units; null: none. */
  capUnits: number | null;
  /** Team units their held and captured holds took this calendar month (UTC). */
  capUsedUnits: number;
  /** capUnits − capUsedUnits (never below 0); null: no cap. */
  capLeftUnits: number | null;
  /** What the team as a whole can spend now. */
  poolUnits: number;
  /** What this member can draw from the team now: the pool, up to capLeftUnits. */
  availableUnits: number;
}

export interface Balance {
  /** What can be spent now: the owner's own credits plus, for a team member, team.availableUnits. */
  totalUnits: number;
  /** The owner's own credits (the kinds below add up to this). */
  ownUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  /** Units in open holds: a person's holds (team part included), or a team's part of its members' holds. */
  heldUnits: number;
  nextExpiries: { units: number; kind: LotKind; expiresAt: Date }[];
  subscription: { monthlyUnits: number; periodStart: Date; periodEnd: Date; cancelAtPeriodEnd: boolean } | null;
  /** A person's team share (null outside a team, and always for a team's own balance). */
  team: TeamShare | null;
}

/** `{ userId }` or `{ teamId }`. */
export type BalanceInput = OwnerRef & {
  now?: Date;
};

export interface BalancesInput {
  userIds: readonly string[];
  now?: Date;
}

/**
 * What the owner can spend at `now`: lots past their expiry are ignored and renewals that are due
 * are counted as a writer would apply them, so the answer never depends on processDue having run.
 */
export function balance(db: Db, input: BalanceInput): Promise<Balance> {
  const now = input.now ?? new Date();
  const owner = ownerOf(input);
  return db.transaction(
    async (tx) => {
      const subRow = await activeSubscription(tx, owner);
      const ownLots = await loadLots(tx, owner, now);
      const heldUnits = await heldOf(tx, owner);
      const team = owner.kind === 'user' ? ((await teamShares(tx, [owner.id], now)).get(owner.id) ?? null) : null;
      return toBalance(subRow, ownLots, heldUnits, now, team);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function heldOf(tx: Db, owner: Owner): Promise<number> {
  const [held] = await tx
    .select({
      units:
        owner.kind === 'user'
          ? sql<number>`coalesce(sum(${holds.units}), 0)::int`
          : sql<number>`coalesce(sum(${holds.teamUnits}), 0)::int`,
    })
    .from(holds)
    .where(and(ownedBy(holds, owner), eq(holds.status, 'held')));
  return Number(held?.units ?? 0);
}

/**
 * The team share of each of these people who is in a team, in one snapshot and a fixed four
 * queries (memberships, the teams' plans and lots, cap usage this month).
 */
export async function teamShares(tx: Db, userIds: readonly string[], now: Date): Promise<Map<string, TeamShare>> {
  const shares = new Map<string, TeamShare>();
  if (userIds.length === 0) return shares;
  const members = await tx
    .select({
      userId: teamMembers.userId,
      teamId: teamMembers.teamId,
      name: teams.name,
      role: teamMembers.role,
      capUnits: teamMembers.monthlyCapUnits,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(inArray(teamMembers.userId, [...userIds]));
  if (members.length === 0) return shares;
  const teamIds = [...new Set(members.map((m) => m.teamId))];
  const pools = await teamPools(tx, teamIds, now);
  const { start, end } = capMonth(now);
  const used = await tx
    .select({ userId: holds.userId, teamId: holds.teamId, units: sql<number>`coalesce(sum(${holdCapUnits}), 0)::int` })
    .from(holds)
    .where(
      and(
        inArray(
          holds.userId,
          members.map((m) => m.userId),
        ),
        inArray(holds.teamId, teamIds),
        gte(holds.createdAt, start),
        lt(holds.createdAt, end),
      ),
    )
    .groupBy(holds.userId, holds.teamId);
  for (const m of members) {
    const capUsedUnits = Number(used.find((u) => u.userId === m.userId && u.teamId === m.teamId)?.units ?? 0);
    const left = capLeft(m.capUnits, capUsedUnits);
    const poolUnits = pools.get(m.teamId) ?? 0;
    shares.set(m.userId, {
      teamId: m.teamId,
      name: m.name,
      role: m.role,
      capUnits: m.capUnits,
      capUsedUnits,
      capLeftUnits: left,
      poolUnits,
      availableUnits: teamShare(poolUnits, left),
    });
  }
  return shares;
}

/** What each team can spend at `now` (renewals projected, expired lots ignored). */
async function teamPools(tx: Db, teamIds: readonly string[], now: Date): Promise<Map<string, number>> {
  const subRows = await tx
    .select()
    .from(subscriptions)
    .where(and(inArray(subscriptions.teamId, [...teamIds]), eq(subscriptions.status, 'active')));
  const lotRows = await tx
    .select()
    .from(lots)
    .where(
      and(
        inArray(lots.teamId, [...teamIds]),
        or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
      ),
    );
  return new Map(
    teamIds.map((id) => [
      id,
      toBalance(
        subRows.find((r) => r.teamId === id) ?? null,
        lotRows.filter((l) => l.teamId === id).map(toLot),
        0,
        now,
        null,
      ).totalUnits,
    ]),
  );
}

/**
 * balance() for many users at once (the admin's user list): one read snapshot and a fixed three
 * queries (plans, lots, holds, and four for team shares) however many users there are. Users without
 * rows get an empty balance.
 */
export function balances(db: Db, input: BalancesInput): Promise<Map<string, Balance>> {
  const now = input.now ?? new Date();
  const ids = [...new Set(input.userIds)];
  if (ids.length === 0) return Promise.resolve(new Map());
  return db.transaction(
    async (tx) => {
      const subRows = await tx
        .select()
        .from(subscriptions)
        .where(and(inArray(subscriptions.userId, ids), eq(subscriptions.status, 'active')));
      const lotRows = await tx
        .select()
        .from(lots)
        .where(
          and(
            inArray(lots.userId, ids),
            or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
          ),
        );
      const heldRows = await tx
        .select({ userId: holds.userId, units: sql<number>`coalesce(sum(${holds.units}), 0)::int` })
        .from(holds)
        .where(and(inArray(holds.userId, ids), eq(holds.status, 'held')))
        .groupBy(holds.userId);
      const shares = await teamShares(tx, ids, now);
      return new Map(
        ids.map((id) => [
          id,
          toBalance(
            subRows.find((r) => r.userId === id) ?? null,
            lotRows.filter((l) => l.userId === id).map(toLot),
            Number(heldRows.find((h) => h.userId === id)?.units ?? 0),
            now,
            shares.get(id) ?? null,
          ),
        ]),
      );
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** One owner's balance from their active plan row, lots and held units: renewals projected as a writer would apply them. */
function toBalance(
  subRow: SubscriptionRow | null,
  ownerLots: Lot[],
  heldUnits: number,
  now: Date,
  team: TeamShare | null,
): Balance {
  let n = 0;
  const projected = projectRenewals(subRow ? toSubscription(subRow) : null, ownerLots, now, () => `projected-${++n}`);
  const s = projected.subscription;
  const summary = summarizeLots(projected.lots, now);
  return {
    ...summary,
    totalUnits: summary.totalUnits + (team?.availableUnits ?? 0),
    ownUnits: summary.totalUnits,
    heldUnits,
    team,
    subscription:
      s && s.status === 'active'
        ? {
            monthlyUnits: s.monthlyUnits,
            periodStart: s.periodStart,
            periodEnd: s.periodEnd,
            cancelAtPeriodEnd: s.cancelAtPeriodEnd,
          }
        : null,
  };
}
