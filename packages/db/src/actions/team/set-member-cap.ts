/** A member's monthly cap on team credits (units; null: none), audited with the previous cap; it applies at once. */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { getMembership, setMemberCap } from '../../queries/teams';
import type { TeamMember } from '../../schema';
import { type Actor, actorIdOf, loadTeam, loadUser, type TeamRef, type UserRef } from '../actor';

/** The audit details of `team.member.cap`. */
export type SetMemberCapDetails = {
  via: Actor['via'];
  teamId: string;
  team: string;
  email: string;
  monthlyCapUnits: number | null;
  was: number | null;
  at: string;
};

/** Throws TeamError ('team_not_found', 'not_a_member', 'invalid_cap') or LedgerError ('user_not_found'). */
export async function setMemberCapAction(
  db: Db,
  input: {
    actor: Actor;
    team: TeamRef;
    user: UserRef;
    monthlyCapUnits: number | null;
    note?: string | null;
    now?: Date;
  },
): Promise<TeamMember> {
  const now = input.now ?? new Date();
  const team = await loadTeam(db, input.team);
  const user = await loadUser(db, input.user);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const previous = (await getMembership(tx, user.id))?.monthlyCapUnits ?? null;
    const member = await setMemberCap(tx, {
      teamId: team.id,
      userId: user.id,
      monthlyCapUnits: input.monthlyCapUnits,
      now,
    });
    const details: SetMemberCapDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      email: user.email,
      monthlyCapUnits: member.monthlyCapUnits,
      was: previous,
      at: now.toISOString(),
    };
    await writeAudit(tx, {
      actorId,
      action: 'team.member.cap',
      targetUserId: user.id,
      note: input.note ?? null,
      details,
    });
    return member;
  });
}
