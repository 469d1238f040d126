/**
 * Promoting or demoting an account. The last-admin rule is checked inside the transaction under row
 * locks (setRole in ../queries/users), so the audit entry is written only for a change that happened.
 */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { setRole, type PublicUser, type Role } from '../queries/users';
import { actorIdOf, loadAccount, type Actor } from './actor';

/** The audit details of `user.promote` and `user.demote`. */
export type SetRoleDetails = { via: Actor['via']; email: string; from: Role; to: Role };

/** Throws UserError('not_found' | 'last_admin' | 'not_admin'). */
export async function setRoleAction(
  db: Db,
  input: { actor: Actor; userId: string; role: Role; note?: string | null },
): Promise<PublicUser> {
  const target = await loadAccount(db, input.userId);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const user = await setRole(tx, target.id, input.role, { actorId });
    const details: SetRoleDetails = {
      via: input.actor.via,
      email: target.email,
      from: target.role,
      to: input.role,
    };
    await writeAudit(tx, {
      actorId,
      action: input.role === 'admin' ? 'user.promote' : 'user.demote',
      targetUserId: target.id,
      note: input.note ?? null,
      details,
    });
    return user;
  });
}
