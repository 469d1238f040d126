/**
 * Taking a person out of a team (console, CLI, or an allowed owner). Their own credits stay theirs;
 * holds already taken on the team's lots finish there.
 */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
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

/** Throws TeamError ('team_not_found', 'not_a_member') or LedgerError ('user_not_found'). */
export async function removeTeamMemberAction(
  db: Db,
  input: { actor: Actor; team: TeamRef; user: UserRef; note?: string | null; now?: Date },
): Promise<TeamMember> {
  const now = input.now ?? new Date();
  const team = await loadTeam(db, input.team);
  const user = await loadUser(db, input.user);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
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
