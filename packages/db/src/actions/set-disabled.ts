/**
 * Disabling or enabling an account. The last-admin rule is checked inside the transaction under row
 * locks (setDisabled in ../queries/users), so the audit entry is written only for a change that happened.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { setDisabled, type PublicUser } from '../queries/users';
import { actorIdOf, loadAccount, type Actor } from './actor';

/** The audit details of `user.disable` and `user.enable`. */
export type SetDisabledDetails = { via: Actor['via']; email: string };

/** Throws UserError('not_found' | 'last_admin' | 'not_admin'). */
export async function setDisabledAction(
  db: Db,
  input: { actor: Actor; userId: string; disabled: boolean; note?: string | null },
): Promise<PublicUser> {
  const target = await loadAccount(db, input.userId);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const user = await setDisabled(tx, target.id, input.disabled, { actorId });
    const details: SetDisabledDetails = { via: input.actor.via, email: target.email };
    await writeAudit(tx, {
      actorId,
      action: input.disabled ? 'user.disable' : 'user.enable',
      targetUserId: target.id,
      note: input.note ?? null,
      details,
    });
    return user;
  });
}
