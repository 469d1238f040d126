/**
 * Granting PAYG or promo credits (console or CLI) to a person or a team. The expiry rule is
 * @bgr/credits' grantExpiryProblem, applied by the ledger's grant; the lot and its audit entry
 * commit together.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { grant } from '../queries/ledger';
import type { LotRow } from '../schema';
import { actorIdOf, iso, loadOwner, type Actor, type LoadedOwner, type OwnerTarget } from './actor';

/** The audit details of `credits.grant`; `at` is when the ledger applied it. */
export type GrantDetails = LoadedOwner['who'] & {
  via: Actor['via'];
  kind: 'payg' | 'promo';
  units: number;
  lotId: string;
  expiresAt: string | null;
  at: string;
};

/**
 * `user` or `team` names the owner. Throws LedgerError ('user_not_found', 'invalid_units',
 * 'invalid_expiry') or TeamError ('team_not_found') and records nothing then.
 */
export async function grantCreditsAction(
  db: Db,
  input: OwnerTarget & {
    actor: Actor;
    units: number;
    kind: 'payg' | 'promo';
    expiresAt?: Date | null;
    note?: string | null;
    now?: Date;
  },
): Promise<LotRow> {
  const now = input.now ?? new Date();
  const target = await loadOwner(db, input);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const lot = await grant(tx, {
      ...target.ledger,
      units: input.units,
      kind: input.kind,
      expiresAt: input.expiresAt ?? null,
      note: input.note ?? null,
      actorId,
      now,
    });
    const details: GrantDetails = {
      via: input.actor.via,
      ...target.who,
      kind: input.kind,
      units: input.units,
      lotId: lot.id,
      expiresAt: iso(lot.expiresAt),
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'credits.grant',
      targetUserId: target.targetUserId,
      note: input.note ?? null,
      details,
    });
    return lot;
  });
}
