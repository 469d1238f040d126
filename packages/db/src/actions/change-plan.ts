/**
 * Changing a plan's monthly credits (console or CLI). The plan as the ledger sees it at `now` (due
 * renewals projected) must exist; the change and its audit entry commit together.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { balance, changePlan, LedgerError } from '../queries/ledger';
import type { SubscriptionRow } from '../schema';
import { actorIdOf, loadUser, type Actor, type UserRef } from './actor';

/** The audit details of `subscription.change`; `at` is when the ledger applied it. */
export type ChangePlanDetails = {
  via: Actor['via'];
  email: string;
  fromMonthlyUnits: number;
  monthlyUnits: number;
  periodEnd: string;
  at: string;
};

/** Throws LedgerError ('user_not_found', 'invalid_units', 'no_subscription'). */
export async function changePlanAction(
  db: Db,
  input: { actor: Actor; user: UserRef; monthlyUnits: number; note?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const target = await loadUser(db, input.user);
  const current = (await balance(db, { userId: target.id, now })).subscription;
  if (!current) throw new LedgerError('no_subscription', 'This user has no plan to change. Start one instead.');
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const sub = await changePlan(tx, { userId: target.id, monthlyUnits: input.monthlyUnits, actorId, now });
    const details: ChangePlanDetails = {
      via: input.actor.via,
      email: target.email,
      fromMonthlyUnits: current.monthlyUnits,
      monthlyUnits: input.monthlyUnits,
      periodEnd: sub.periodEnd.toISOString(),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'subscription.change',
      targetUserId: target.id,
      note: input.note ?? null,
      details,
    });
    return sub;
  });
}
