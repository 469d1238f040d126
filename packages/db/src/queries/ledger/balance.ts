/**
 * What a user can spend, read in one snapshot without writing: lots past their expiry ignored and
 * due renewals projected as a writer would apply them, for one user or many at once.
 */
import { type Lot, type LotKind, projectRenewals, summarizeLots } from '@bgr/credits';
import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { holds, lots, type SubscriptionRow, subscriptions } from '../../schema';
import { activeSubscription, loadLots, toLot, toSubscription } from './rows';

export interface Balance {
  totalUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  heldUnits: number;
  nextExpiries: { units: number; kind: LotKind; expiresAt: Date }[];
  subscription: { monthlyUnits: number; periodStart: Date; periodEnd: Date; cancelAtPeriodEnd: boolean } | null;
}

export interface BalanceInput {
  userId: string;
  now?: Date;
}

export interface BalancesInput {
  userIds: readonly string[];
  now?: Date;
}

/**
 * What the user can spend at `now`: lots past their expiry are ignored and renewals that are due
 * are counted as a writer would apply them, so the answer never depends on processDue having run.
 */
export function balance(db: Db, input: BalanceInput): Promise<Balance> {
  const now = input.now ?? new Date();
  return db.transaction(
    async (tx) => {
      const subRow = await activeSubscription(tx, input.userId);
      const [held] = await tx
        .select({ units: sql<number>`coalesce(sum(${holds.units}), 0)::int` })
        .from(holds)
        .where(and(eq(holds.userId, input.userId), eq(holds.status, 'held')));
      return toBalance(subRow, await loadLots(tx, input.userId, now), Number(held?.units ?? 0), now);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * balance() for many users at once (the admin's user list): one read snapshot and a fixed three
 * queries (plans, lots, holds) however many users there are. Users without rows get an empty balance.
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
      return new Map(
        ids.map((id) => [
          id,
          toBalance(
            subRows.find((r) => r.userId === id) ?? null,
            lotRows.filter((l) => l.userId === id).map(toLot),
            Number(heldRows.find((h) => h.userId === id)?.units ?? 0),
            now,
          ),
        ]),
      );
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** One user's balance from their active plan row, lots and held units: renewals projected as a writer would apply them. */
function toBalance(subRow: SubscriptionRow | null, userLots: Lot[], heldUnits: number, now: Date): Balance {
  let n = 0;
  const projected = projectRenewals(subRow ? toSubscription(subRow) : null, userLots, now, () => `projected-${++n}`);
  const s = projected.subscription;
  return {
    ...summarizeLots(projected.lots, now),
    heldUnits,
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
