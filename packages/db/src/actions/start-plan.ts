/** Starting a monthly plan (console or CLI): the plan, its first lot and the audit entry commit together. */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { startSubscription } from '../queries/ledger';
import type { SubscriptionRow } from '../schema';
import { actorIdOf, loadOwner, type Actor, type LoadedOwner, type OwnerTarget } from './actor';

/** The audit details of `subscription.start`; `at` is when the ledger applied it. */
export type StartPlanDetails = LoadedOwner['who'] & {
  via: Actor['via'];
  monthlyUnits: number;
  periodEnd: string;
  at: string;
};

/** `user` or `team` names the owner. Throws TeamError ('team_not_found') or LedgerError ('user_not_found', 'invalid_units', 'subscription_exists'). */
export async function startPlanAction(
  db: Db,
  input: OwnerTarget & { actor: Actor; monthlyUnits: number; note?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  const target = await loadOwner(db, input);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const sub = await startSubscription(tx, { ...target.ledger, monthlyUnits: input.monthlyUnits, actorId, now });
    const details: StartPlanDetails = {
      via: input.actor.via,
      ...target.who,
      monthlyUnits: input.monthlyUnits,
      periodEnd: sub.periodEnd.toISOString(),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'subscription.start',
      targetUserId: target.targetUserId,
      note: input.note ?? null,
      details,
    });
    return sub;
  });
}
