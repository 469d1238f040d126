/**
 * A correction that takes credits (CLI): drawn down like a charge, never overdrawn. The entries and
 * the audit entry commit together; a refusal (not enough credits) records nothing.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { debit } from '../queries/ledger';
import { actorIdOf, loadUser, type Actor, type UserRef } from './actor';

/** The audit details of `credits.debit`; `at` is when the ledger applied it. */
export type DebitDetails = { via: Actor['via']; email: string; units: number; at: string };

/** Throws LedgerError ('user_not_found', 'invalid_units'); returns the ledger's refusal when credits are short. */
export async function debitCreditsAction(
  db: Db,
  input: { actor: Actor; user: UserRef; units: number; note?: string | null; now?: Date },
): ReturnType<typeof debit> {
  const now = input.now ?? new Date();
  const target = await loadUser(db, input.user);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const result = await debit(tx, { userId: target.id, units: input.units, note: input.note ?? null, actorId, now });
    if (result.ok) {
      const details: DebitDetails = {
        via: input.actor.via,
        email: target.email,
        units: input.units,
        at: now.toISOString(),
      };
      await writeAudit(tx, {
        actorId,
        action: 'credits.debit',
        targetUserId: target.id,
        note: input.note ?? null,
        details,
      });
    }
    return result;
  });
}
