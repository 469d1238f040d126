/** An admin creates an account (console or CLI): the user row and its audit entry in one transaction. */
import type { Db } from '../client';
import { writeAudit } from '../queries/audit';
import { inTransaction } from '../queries/admin';
import { createUser, type PublicUser, type Role } from '../queries/users';
import { actorIdOf, type Actor } from './actor';

/** The audit details of `user.create`. */
export type CreateUserDetails = { via: Actor['via']; email: string; role: Role };

/** Throws UserError('email_taken' | 'invalid_email' | 'weak_password') and records nothing then. */
export function createUserAction(
  db: Db,
  input: { actor: Actor; email: string; password: string; name?: string | null; role: Role; note?: string | null },
): Promise<PublicUser> {
  return inTransaction(db, async (tx) => {
    const user = await createUser(tx, {
      email: input.email,
      password: input.password,
      name: input.name ?? null,
      role: input.role,
    });
    const details: CreateUserDetails = { via: input.actor.via, email: user.email, role: input.role };
    await writeAudit(tx, {
      actorId: actorIdOf(input.actor),
      action: 'user.create',
      targetUserId: user.id,
      note: input.note ?? null,
      details,
    });
    return user;
  });
}
