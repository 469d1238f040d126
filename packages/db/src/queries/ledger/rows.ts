/**
 * What the credit rules see: a user's lots and active plan read inside the caller's transaction and
 * turned into @bgr/credits' types, which know nothing of rows.
 */
import type { Lot, Subscription } from '@bgr/credits';
import { and, eq, gt, inArray, or } from 'drizzle-orm';
import type { Db } from '../../client';
import { type LotRow, lots, type SubscriptionRow, subscriptions } from '../../schema';

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
export async function loadLots(tx: Db, userId: string, now: Date): Promise<Lot[]> {
  const rows = await tx
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.userId, userId),
        or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
      ),
    );
  return rows.map(toLot);
}

export async function activeSubscription(tx: Db, userId: string): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active')));
  return row ?? null;
}
