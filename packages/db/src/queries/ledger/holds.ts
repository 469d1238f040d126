/**
 * A hold reserves units for one operation under a key (scoped to the user) until it is settled
 * (settle.ts). A team member's hold may draw from the team's lots (first, within their monthly cap)
 * and their own lots: still one hold. Web and API code reserve through withCharge (charge.ts), never directly.
 */
import { capLeft, planSplitDrawDown, type Shortfall } from '@bgr/credits';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../client';
import { type HoldRow, holds } from '../../schema';
import { assertKey, assertUnits } from './errors';
import { teamOwner, userOwner } from './owner';
import { applyDueRenewals } from './renewals';
import { loadLots } from './rows';
import { capUsedUnits, membershipOf } from './team-share';
import { lockTeamAfterUser, lockUser } from './user-lock';
import { adjustLots } from './writes';

export type Hold = HoldRow;
export type ReserveResult =
  | { ok: true; hold: Hold /** true when the key had been used before: nothing new was reserved. */; replayed: boolean }
  | {
      ok: false;
      reason: 'insufficient';
      /** What the person could spend: their team share plus their own credits. */
      available: number;
      /** What ran short: 'cap' (their monthly team allowance), 'team' (the team's credits) or 'own' (not in a team). */
      shortOf: Shortfall;
    };

export interface ReserveInput {
  userId: string;
  units: number;
  key: string;
  now?: Date;
}

/** reserveLocked's input: the caller's transaction already decided `now`. */
export interface ReserveLockedInput extends ReserveInput {
  now: Date;
}

export interface FindHoldInput {
  userId: string;
  key: string;
}

/**
 * Reserves `units` for one operation under a hold key (scoped to the user). The same key
 * returns the same hold, whatever its status, and reserves nothing more. Web and API code reserve
 * through withCharge (charge.ts), never directly.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  const now = input.now ?? new Date();
  assertUnits(input.units, true);
  assertKey(input.key);
  return db.transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const [existing] = await tx
      .select()
      .from(holds)
      .where(and(eq(holds.userId, input.userId), eq(holds.key, input.key)));
    if (existing) return { ok: true as const, hold: existing, replayed: true };
    await applyDueRenewals(tx, userOwner(input.userId), now);
    return reserveLocked(tx, { ...input, now });
  });
}

/**
 * The reservation itself, inside withUserLock (renewals applied); the key must be new. A member's
 * team is locked next (person → team, the one lock order) and its renewals applied, so two members
 * charging at once see each other's holds on the team's lots.
 */
export async function reserveLocked(tx: Db, input: ReserveLockedInput): Promise<ReserveResult> {
  assertUnits(input.units, true);
  assertKey(input.key);
  const member = await membershipOf(tx, input.userId);
  let teamLots = null;
  let capLeftUnits: number | null = null;
  if (member) {
    await lockTeamAfterUser(tx, member.teamId, input.now);
    teamLots = await loadLots(tx, teamOwner(member.teamId), input.now);
    if (member.monthlyCapUnits !== null)
      capLeftUnits = capLeft(member.monthlyCapUnits, await capUsedUnits(tx, input.userId, member.teamId, input.now));
  }
  const plan = planSplitDrawDown({
    units: input.units,
    teamLots,
    capLeftUnits,
    ownLots: await loadLots(tx, userOwner(input.userId), input.now),
    now: input.now,
  });
  if (!plan.ok) return { ok: false, reason: 'insufficient', available: plan.available, shortOf: plan.shortOf };
  await adjustLots(tx, plan.takes, -1);
  const [hold] = await tx
    .insert(holds)
    .values({
      userId: input.userId,
      key: input.key,
      units: input.units,
      allocations: plan.takes,
      teamId: plan.teamUnits > 0 ? member!.teamId : null,
      teamUnits: plan.teamUnits,
      status: 'held',
      createdAt: input.now,
    })
    .returning();
  return { ok: true as const, hold: hold!, replayed: false };
}

export async function getHold(db: Db, holdId: string): Promise<Hold | null> {
  const [row] = await db.select().from(holds).where(eq(holds.id, holdId));
  return row ?? null;
}

export async function findHold(db: Db, input: FindHoldInput): Promise<Hold | null> {
  const [row] = await db
    .select()
    .from(holds)
    .where(and(eq(holds.userId, input.userId), eq(holds.key, input.key)));
  return row ?? null;
}
