/**
 * Changing a plan's monthly credits (console or CLI). The plan as the ledger sees it at `now` (due
 * renewals projected) must exist; the change and its audit entry commit together.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { balance, changePlan, LedgerError } from '../queries/ledger';
import type { SubscriptionRow } from '../schema';
import { actorIdOf, loadOwner, type Actor, type LoadedOwner, type OwnerTarget } from './actor';

/** The audit details of `subscription.change`; `at` is when the ledger applied it. */
export type ChangePlanDetails = LoadedOwner['who'] & {
  via: Actor['via'];
  fromMonthlyUnits: number;
  monthlyUnits: number;
  periodEnd: string;
  at: string;
};

/** `user` or `team` names the owner. Throws TeamError ('team_not_found') or LedgerError ('user_not_found', 'invalid_units', 'no_subscription'). */
export async function changePlanAction(
  db: Db,
  input: OwnerTarget & { actor: Actor; monthlyUnits: number; note?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const target = await loadOwner(db, input);
  const current = (await balance(db, { ...target.ledger, now })).subscription;
  if (!current)
    throw new LedgerError('no_subscription', `This ${target.noun} has no plan to change. Start one instead.`);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const sub = await changePlan(tx, { ...target.ledger, monthlyUnits: input.monthlyUnits, actorId, now });
    const details: ChangePlanDetails = {
      via: input.actor.via,
      ...target.who,
      fromMonthlyUnits: current.monthlyUnits,
      monthlyUnits: input.monthlyUnits,
      periodEnd: sub.periodEnd.toISOString(),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'subscription.change',
      targetUserId: target.targetUserId,
      note: input.note ?? null,
      details,
    });
    return sub;
  });
}
