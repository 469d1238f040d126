/**
 * A team owner's right to change members — they own this team, an administrator allowed the team's
 * owners to, the person is in their team, and an owner (themselves included) is never theirs to
 * remove or cap — checked inside the transaction that makes the change, under the locks the
 * competing admin changes take. Checked a moment before (outside it), an admin switching the
 * setting off, or taking the owner out, could commit in between and the owner's change would still
 * go through.
 *
 * Locks, in the ledger's order (people first, then the team): the owner's and the target's user
 * rows (by id, so two owners acting on each other never wait in a circle) — the admin's remove and
 * role change take the owner's row — then the team row, which the admin's settings change updates.
 * Whichever commits first wins; the other sees its result. The refusals are TeamErrors with the
 * sentences the Team page shows.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { teams, users } from '../schema';
import { getMembership, TeamError } from './teams';
import { findUserByEmail } from './users';

/** What the owner does: add a person, set a member's cap, or take a member out. */
export type OwnerChange = 'add' | 'cap' | 'remove';

/**
 * Throws TeamError ('not_in_team', 'not_team_owner', 'owners_may_not_manage', 'not_in_your_team',
 * 'owner_only_admin', 'owner_cap_admin_only'), in that order, so someone without the right learns
 * nothing about the target. An owner's cap bounds what they may draw from the team's credits, so
 * it is an administrator's to set — never an owner's, whether their own or another owner's (two
 * owners lifting each other's caps would defeat it), just as any owner is the admins' to remove.
 * Must run in the change's transaction, before the change.
 */
export async function assertOwnerMayManage(
  tx: Db,
  input: { ownerId: string; teamId: string; target: { id: string } | { email: string }; change: OwnerChange },
): Promise<void> {
  // A missing target is not an error here: the owner checks come first, the action then says why.
  const targetId =
    'id' in input.target ? input.target.id : ((await findUserByEmail(tx, input.target.email))?.id ?? null);
  const people = [...new Set([input.ownerId, ...(targetId ? [targetId] : [])])].sort();
  for (const id of people) await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
  const [team] = await tx
    .select({ allowed: teams.ownersManageMembers })
    .from(teams)
    .where(eq(teams.id, input.teamId))
    .for('update');

  const own = await getMembership(tx, input.ownerId);
  if (!own) throw new TeamError('not_in_team', 'You are not in a team.');
  if (own.teamId !== input.teamId || own.role !== 'owner')
    throw new TeamError('not_team_owner', "Only the team's owners can change its members.");
  if (!team?.allowed)
    throw new TeamError(
      'owners_may_not_manage',
      "An administrator has not allowed this team's owners to change members or caps. Please ask an administrator.",
    );
  if (input.change === 'add') return;
  const target = targetId ? await getMembership(tx, targetId) : null;
  if (!target || target.teamId !== input.teamId)
    throw new TeamError('not_in_your_team', 'That person is not in your team.');
  if (input.change === 'remove' && target.role === 'owner')
    throw new TeamError('owner_only_admin', 'Only an administrator can remove an owner from the team.');
  if (input.change === 'cap' && target.role === 'owner')
    throw new TeamError('owner_cap_admin_only', "Only an administrator can change an owner's monthly cap.");
}
