/**
 * Taking a person out of a team (console, CLI, or an allowed owner). Their own credits stay theirs;
 * holds already taken on the team's lots finish there. With `asOwner`, the owner's right (never to
 * remove an owner) is checked in the same transaction as the change.
 */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { assertOwnerMayManage } from '../../queries/team-owner';
import { removeTeamMember } from '../../queries/teams';
import type { TeamMember, TeamRole } from '../../schema';
import { type Actor, actorIdOf, loadTeam, loadUser, type TeamRef, type UserRef } from '../actor';

/** The audit details of `team.member.remove`. */
export type RemoveTeamMemberDetails = {
  via: Actor['via'];
  teamId: string;
  team: string;
  email: string;
  role: TeamRole;
  at: string;
};

/**
 * Throws TeamError ('team_not_found', 'not_a_member', and with `asOwner` the owner's refusals of
 * team-owner.ts) or LedgerError ('user_not_found').
 */
export async function removeTeamMemberAction(
  db: Db,
  input: {
    actor: Actor;
    team: TeamRef;
    user: UserRef;
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
      await assertOwnerMayManage(tx, { ownerId: input.asOwner, teamId: team.id, target: input.user, change: 'remove' });
    const user = await loadUser(tx, input.user);
    const removed = await removeTeamMember(tx, { teamId: team.id, userId: user.id, now });
    const details: RemoveTeamMemberDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      email: user.email,
      role: removed.role,
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'team.member.remove',
      targetUserId: user.id,
      note: input.note ?? null,
      details,
    });
    return removed;
  });
}
