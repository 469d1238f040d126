/**
 * A member's monthly cap on team credits (units; null: none), audited with the previous cap; it
 * applies at once. With `asOwner`, the owner's right is checked in the same transaction as the change.
 */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { assertOwnerMayManage } from '../../queries/team-owner';
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

/**
 * Throws TeamError ('team_not_found', 'not_a_member', 'invalid_cap', and with `asOwner` the owner's
 * refusals of team-owner.ts) or LedgerError ('user_not_found').
 */
export async function setMemberCapAction(
  db: Db,
  input: {
    actor: Actor;
    team: TeamRef;
    user: UserRef;
    monthlyCapUnits: number | null;
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
      await assertOwnerMayManage(tx, { ownerId: input.asOwner, teamId: team.id, target: input.user, change: 'cap' });
    const user = await loadUser(tx, input.user);
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
