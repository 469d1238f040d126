/**
 * Who performs an admin action and how the target is named: the console acts as a signed-in admin
 * (`via: "web"`, their id in the audit row's actorId), the CLI as the operator with database access
 * (`via: "cli"`, actorId null). Every action loads its target here, so "no such user" reads the same.
 */
import type { Db } from '../client';
import { LedgerError } from '../queries/ledger';
import { findUserByEmail, getUser, UserError, type PublicUser } from '../queries/users';

export type Actor = { via: 'web'; actorId: string } | { via: 'cli' };

/** The target user: by id (the console) or by email (the CLI). */
export type UserRef = { id: string } | { email: string };

/** The audit row's actorId for this actor: the admin's id, or null for the CLI. */
export function actorIdOf(actor: Actor): string | null {
  return actor.via === 'web' ? actor.actorId : null;
}

/** The user, or a LedgerError('user_not_found') with a sentence naming how they were looked up. */
export async function loadUser(db: Db, ref: UserRef): Promise<PublicUser> {
  const user = 'id' in ref ? await getUser(db, ref.id) : await findUserByEmail(db, ref.email);
  if (!user)
    throw new LedgerError(
      'user_not_found',
      'id' in ref ? 'That user does not exist.' : `No user with the email ${ref.email}.`,
    );
  return user;
}

/** The account whose standing changes, or a UserError('not_found') (the error setRole/setDisabled use). */
export async function loadAccount(db: Db, id: string): Promise<PublicUser> {
  const user = await getUser(db, id);
  if (!user) throw new UserError('not_found', 'That user does not exist.');
  return user;
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
