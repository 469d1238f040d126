/** Starting a monthly plan (console or CLI): the plan, its first lot and the audit entry commit together. */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { startSubscription } from '../queries/ledger';
import type { SubscriptionRow } from '../schema';
import { actorIdOf, loadUser, type Actor, type UserRef } from './actor';

/** The audit details of `subscription.start`; `at` is when the ledger applied it. */
export type StartPlanDetails = {
  via: Actor['via'];
  email: string;
  monthlyUnits: number;
  periodEnd: string;
  at: string;
};

/** Throws LedgerError ('user_not_found', 'invalid_units', 'subscription_exists'). */
export async function startPlanAction(
  db: Db,
  input: { actor: Actor; user: UserRef; monthlyUnits: number; note?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const target = await loadUser(db, input.user);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const sub = await startSubscription(tx, { userId: target.id, monthlyUnits: input.monthlyUnits, actorId, now });
    const details: StartPlanDetails = {
      via: input.actor.via,
      email: target.email,
      monthlyUnits: input.monthlyUnits,
      periodEnd: sub.periodEnd.toISOString(),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'subscription.start',
      targetUserId: target.id,
      note: input.note ?? null,
      details,
    });
    return sub;
  });
}
