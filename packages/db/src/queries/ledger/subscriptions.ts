/**
 * A person's or a team's monthly plan (the same rules for both): started, changed or cancelled at period end. @bgr/credits decides the
 * periods, budgets and carry; this file persists them (renewals themselves: renewals.ts).
 */
import { cancelAtPeriodEnd, changePlan as planChange, startSubscription as planStart } from '@bgr/credits';
import { eq } from 'drizzle-orm';
import type { Db } from '../../client';
import { type SubscriptionRow, subscriptions } from '../../schema';
import { assertUnits, LedgerError } from './errors';
import { persistTransition } from './renewals';
import { type Owner, type OwnerRef, ownerColumns, ownerOf } from './owner';
import { activeSubscription, loadLots, toSubscription } from './rows';
import { withOwnerLock } from './user-lock';
import { insertLot } from './writes';

/** A plan to start, or to change to: the owner (`{ userId }` or `{ teamId }`) and the monthly budget in units. */
export type PlanInput = OwnerRef & {
  monthlyUnits: number;
  actorId?: string | null;
  now?: Date;
};

export type CancelSubscriptionInput = OwnerRef & {
  now?: Date;
};

const whose = (owner: Owner) => (owner.kind === 'team' ? 'This team' : 'This user');

export function startSubscription(db: Db, input: PlanInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  const owner = ownerOf(input);
  return withOwnerLock(db, owner, now, async (tx) => {
    if (await activeSubscription(tx, owner))
      throw new LedgerError(
        'subscription_exists',
        `${whose(owner)} already has a subscription; change its plan instead.`,
      );
    const { subscription: s, newLots } = planStart(input.monthlyUnits, now);
    const [row] = await tx
      .insert(subscriptions)
      .values({
        ...ownerColumns(owner),
        monthlyUnits: s.monthlyUnits,
        anchorAt: s.anchorAt,
        periodIndex: s.periodIndex,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        status: s.status,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      })
      .returning();
    for (const draft of newLots) await insertLot(tx, owner, draft, { type: 'grant', actorId: input.actorId }, row!.id);
    return row!;
  });
}

async function requireActive(tx: Db, owner: Owner): Promise<SubscriptionRow> {
  const row = await activeSubscription(tx, owner);
  if (!row) throw new LedgerError('no_subscription', `${whose(owner)} has no active subscription.`);
  return row;
}

/** New plan from now on: carry capped at 5 × the new budget, new budget added, renewals on today's day. */
export function changePlan(db: Db, input: PlanInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  const owner = ownerOf(input);
  return withOwnerLock(db, owner, now, async (tx) => {
    const row = await requireActive(tx, owner);
    const t = planChange(toSubscription(row), await loadLots(tx, owner, now), input.monthlyUnits, now);
    await persistTransition(tx, owner, row.id, t, input.actorId);
    return (await activeSubscription(tx, owner))!;
  });
}

/** Keeps the credits until the end of the current period; the renewal at that instant ends it. */
export function cancelSubscription(db: Db, input: CancelSubscriptionInput): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const owner = ownerOf(input);
  return withOwnerLock(db, owner, now, async (tx) => {
    const row = await requireActive(tx, owner);
    const s = cancelAtPeriodEnd(toSubscription(row));
    const [updated] = await tx
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: s.cancelAtPeriodEnd })
      .where(eq(subscriptions.id, row.id))
      .returning();
    return updated!;
  });
}
