/**
 * What the credit rules see: an owner's (a person's or a team's) lots and active plan read inside
 * the caller's transaction and turned into @bgr/credits' types, which know nothing of rows.
 */
import type { Lot, Subscription } from '@bgr/credits';
import { and, eq, gt, inArray, or } from 'drizzle-orm';
import type { Db } from '../../client';
import { type LotRow, lots, type SubscriptionRow, subscriptions } from '../../schema';
import { type Owner, ownedBy, ownerOfRow } from './owner';

export function toLot(row: LotRow): Lot {
  return {
    id: row.id,
    kind: row.kind,
    amount: row.amount,
    remaining: row.remaining,
    effectiveAt: row.effectiveAt,
    expiresAt: row.expiresAt,
  };
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    monthlyUnits: row.monthlyUnits,
    anchorAt: row.anchorAt,
    periodIndex: row.periodIndex,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    status: row.status,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
  };
}

/** Lots that can still matter: with units left, or subscription lots of a period not yet over. */
export async function loadLots(tx: Db, owner: Owner, now: Date): Promise<Lot[]> {
  const rows = await tx
    .select()
    .from(lots)
    .where(
      and(
        ownedBy(lots, owner),
        or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
      ),
    );
  return rows.map(toLot);
}

export async function activeSubscription(tx: Db, owner: Owner): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(ownedBy(subscriptions, owner), eq(subscriptions.status, 'active')));
  return row ?? null;
}

/** The owner of each of these lots (a hold's allocations may span a team's lots and a person's). */
export async function lotOwners(tx: Db, lotIds: readonly string[]): Promise<Map<string, Owner>> {
  const ids = [...new Set(lotIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: lots.id, userId: lots.userId, teamId: lots.teamId })
    .from(lots)
    .where(inArray(lots.id, ids));
  return new Map(rows.map((r) => [r.id, ownerOfRow(r)]));
}
