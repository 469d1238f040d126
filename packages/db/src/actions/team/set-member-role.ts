/** A member's role in their team (owner or member), audited with the previous role. */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { getMembership, setMemberRole } from '../../queries/teams';
import type { TeamMember, TeamRole } from '../../schema';
import { type Actor, actorIdOf, loadTeam, loadUser, type TeamRef, type UserRef } from '../actor';

/** The audit details of `team.member.role`. */
export type SetMemberRoleDetails = {
  via: Actor['via'];
  teamId: string;
  team: string;
  email: string;
  role: TeamRole;
  was: TeamRole | null;
};

/** Throws TeamError ('team_not_found', 'not_a_member', 'invalid_role') or LedgerError ('user_not_found'). */
export async function setMemberRoleAction(
  db: Db,
  input: { actor: Actor; team: TeamRef; user: UserRef; role: TeamRole; note?: string | null; now?: Date },
): Promise<TeamMember> {
  const team = await loadTeam(db, input.team);
  const user = await loadUser(db, input.user);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const previous = (await getMembership(tx, user.id))?.role ?? null;
    const member = await setMemberRole(tx, {
      teamId: team.id,
      userId: user.id,
      role: input.role,
      ...(input.now ? { now: input.now } : {}),
    });
    const details: SetMemberRoleDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      email: user.email,
      role: member.role,
      was: previous,
    };
    await writeAudit(tx, {
      actorId,
      action: 'team.member.role',
      targetUserId: user.id,
      note: input.note ?? null,
      details,
    });
    return member;
  });
}
