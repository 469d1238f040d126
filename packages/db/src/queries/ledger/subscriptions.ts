/**
 * A user's monthly plan: started, changed or cancelled at period end. @bgr/credits decides the
 * periods, budgets and carry; this file persists them (renewals themselves: renewals.ts).
 */
import { cancelAtPeriodEnd, changePlan as planChange, startSubscription as planStart } from '@bgr/credits';
import { eq } from 'drizzle-orm';
import type { Db } from '../../client';
import { type SubscriptionRow, subscriptions } from '../../schema';
import { assertUnits, LedgerError } from './errors';
import { persistTransition } from './renewals';
import { activeSubscription, loadLots, toSubscription } from './rows';
import { withUserLock } from './user-lock';
import { insertLot } from './writes';

/** A plan to start, or to change to: the user and the monthly budget in units. */
export interface PlanInput {
  userId: string;
  monthlyUnits: number;
  actorId?: string | null;
  now?: Date;
}

export interface CancelSubscriptionInput {
  userId: string;
  now?: Date;
}

export function startSubscription(db: Db, input: PlanInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  return withUserLock(db, input.userId, now, async (tx) => {
    if (await activeSubscription(tx, input.userId))
      throw new LedgerError('subscription_exists', 'This user already has a subscription; change its plan instead.');
    const { subscription: s, newLots } = planStart(input.monthlyUnits, now);
    const [row] = await tx
      .insert(subscriptions)
      .values({
        userId: input.userId,
        monthlyUnits: s.monthlyUnits,
        anchorAt: s.anchorAt,
        periodIndex: s.periodIndex,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        status: s.status,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      })
      .returning();
    for (const draft of newLots)
      await insertLot(tx, input.userId, draft, { type: 'grant', actorId: input.actorId }, row!.id);
    return row!;
  });
}

async function requireActive(tx: Db, userId: string): Promise<SubscriptionRow> {
  const row = await activeSubscription(tx, userId);
  if (!row) throw new LedgerError('no_subscription', 'This user has no active subscription.');
  return row;
}

/** New plan from now on: carry capped at 5 × the new budget, new budget added, renewals on today's day. */
export function changePlan(db: Db, input: PlanInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  return withUserLock(db, input.userId, now, async (tx) => {
    const row = await requireActive(tx, input.userId);
    const t = planChange(toSubscription(row), await loadLots(tx, input.userId, now), input.monthlyUnits, now);
    await persistTransition(tx, input.userId, row.id, t, input.actorId);
    return (await activeSubscription(tx, input.userId))!;
  });
}

/** Keeps the credits until the end of the current period; the renewal at that instant ends it. */
export function cancelSubscription(db: Db, input: CancelSubscriptionInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  return withUserLock(db, input.userId, now, async (tx) => {
    const row = await requireActive(tx, input.userId);
    const s = cancelAtPeriodEnd(toSubscription(row));
    const [updated] = await tx
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: s.cancelAtPeriodEnd })
      .where(eq(subscriptions.id, row.id))
      .returning();
    return updated!;
  });
}
