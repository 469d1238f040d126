/**
 * Cancelling a plan (console or CLI): the credits stay until the period ends. A user without a plan,
 * or whose plan is already cancelled, is refused with a sentence and nothing is recorded.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { balance, cancelSubscription, LedgerError } from '../queries/ledger';
import type { SubscriptionRow } from '../schema';
import { actorIdOf, loadOwner, type Actor, type LoadedOwner, type OwnerTarget } from './actor';

/** The audit details of `subscription.cancel`; `at` is when the ledger applied it. */
export type CancelPlanDetails = LoadedOwner['who'] & {
  via: Actor['via'];
  monthlyUnits: number;
  endsAt: string;
  at: string;
};

/** `user` or `team` names the owner. Throws TeamError ('team_not_found') or LedgerError ('user_not_found', 'no_subscription'). */
export async function cancelPlanAction(
  db: Db,
  input: OwnerTarget & { actor: Actor; note?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const target = await loadOwner(db, input);
  const current = (await balance(db, { ...target.ledger, now })).subscription;
  if (!current || current.cancelAtPeriodEnd) {
    throw new LedgerError(
      'no_subscription',
      current ? 'This plan is already cancelled.' : `This ${target.noun} has no plan to cancel.`,
    );
  }
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const sub = await cancelSubscription(tx, { ...target.ledger, now });
    const details: CancelPlanDetails = {
      via: input.actor.via,
      ...target.who,
      monthlyUnits: sub.monthlyUnits,
      endsAt: sub.periodEnd.toISOString(),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'subscription.cancel',
      targetUserId: target.targetUserId,
      note: input.note ?? null,
      details,
    });
    return sub;
  });
}
