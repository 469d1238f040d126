/**
 * Who performs an admin action and how the target is named: the console acts as a signed-in admin
 * (`via: "web"`, their id in the audit row's actorId), the CLI as the operator with database access
 * (`via: "cli"`, actorId null). Every action loads its target here — a person, a team, or the owner
 * of credits (either) — so "no such user" and "no such team" read the same everywhere.
 */
import type { Db } from '../client';
import { LedgerError, type OwnerRef } from '../queries/ledger';
import { getTeam, getTeamByName, TeamError } from '../queries/teams';
import { findUserByEmail, getUser, UserError, type PublicUser } from '../queries/users';
import type { Team } from '../schema';

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

/** The target team: by id (the console) or by name (the CLI). */
export type TeamRef = { id: string } | { name: string };

/** The team, or a TeamError('team_not_found') with a sentence naming how it was looked up. */
export async function loadTeam(db: Db, ref: TeamRef): Promise<Team> {
  const team = 'id' in ref ? await getTeam(db, ref.id) : await getTeamByName(db, ref.name);
  if (!team)
    throw new TeamError('team_not_found', 'id' in ref ? 'That team does not exist.' : `No team named ${ref.name}.`);
  return team;
}

/** Whose credits an action changes: a person's (`user`) or a team's (`team`). */
export type OwnerTarget = { user: UserRef; team?: undefined } | { team: TeamRef; user?: undefined };

/** A loaded owner: how the ledger names it, the audit row's target person, and who it is in the audit details. */
export interface LoadedOwner {
  ledger: OwnerRef;
  targetUserId: string | null;
  who: { email: string } | { teamId: string; team: string };
  /** For sentences: "This user" / "This team". */
  noun: 'user' | 'team';
}

export async function loadOwner(db: Db, target: OwnerTarget): Promise<LoadedOwner> {
  if (target.team) {
    const team = await loadTeam(db, target.team);
    return { ledger: { teamId: team.id }, targetUserId: null, who: { teamId: team.id, team: team.name }, noun: 'team' };
  }
  const user = await loadUser(db, target.user!);
  return { ledger: { userId: user.id }, targetUserId: user.id, who: { email: user.email }, noun: 'user' };
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
