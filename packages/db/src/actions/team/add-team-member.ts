/**
 * Adding a person to a team (console, CLI, or a team owner the admin allowed to): by email or id,
 * role member unless told, an optional monthly cap in units. A person already in a team is refused.
 * With `asOwner`, the owner's right is checked in the same transaction as the change.
 */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { assertOwnerMayManage } from '../../queries/team-owner';
import { addTeamMember } from '../../queries/teams';
import type { TeamMember, TeamRole } from '../../schema';
import { type Actor, actorIdOf, loadTeam, loadUser, type TeamRef, type UserRef } from '../actor';

/** The audit details of `team.member.add`. */
export type AddTeamMemberDetails = {
  via: Actor['via'];
  teamId: string;
  team: string;
  email: string;
  role: TeamRole;
  monthlyCapUnits: number | null;
  at: string;
};

/**
 * Throws TeamError ('team_not_found', 'already_in_team', 'invalid_role', 'invalid_cap', and with
 * `asOwner` the owner's refusals of team-owner.ts) or LedgerError ('user_not_found').
 */
export async function addTeamMemberAction(
  db: Db,
  input: {
    actor: Actor;
    team: TeamRef;
    user: UserRef;
    role?: TeamRole;
    monthlyCapUnits?: number | null;
    note?: string | null;
    now?: Date;
    /**
     * A team owner acting on their own team (the Team page): their right is checked inside the
     * change's transaction, under lock (queries/team-owner.ts), so an admin's concurrent change wins or loses whole.
     */
    asOwner?: string;
  },
): Promise<TeamMember> {
  const now = input.now ?? new Date();
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const team = await loadTeam(tx, input.team);
    if (input.asOwner)
      await assertOwnerMayManage(tx, { ownerId: input.asOwner, teamId: team.id, target: input.user, change: 'add' });
    const user = await loadUser(tx, input.user);
    const member = await addTeamMember(tx, {
      teamId: team.id,
      userId: user.id,
      role: input.role ?? 'member',
      monthlyCapUnits: input.monthlyCapUnits ?? null,
      now,
    });
    const details: AddTeamMemberDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      email: user.email,
      role: member.role,
      monthlyCapUnits: member.monthlyCapUnits,
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'team.member.add',
      targetUserId: user.id,
      note: input.note ?? null,
      details,
    });
    return member;
  });
}
