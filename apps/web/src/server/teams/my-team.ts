/**
 * The signed-in person's team, as the dashboard's Team page and notices show it, and which team an
 * owner's change is for (the change's action checks the owner's right, in its transaction). A
 * member's answer holds their own numbers only; the team-wide part (balance, plan, every member's
 * use) is read and returned for owners alone.
 */
import { capMonth } from '@bgr/credits';
import type { Db } from '@bgr/db/client';
import { getMembership, getTeamBalance, getTeamForUser, listTeamMembers } from '@bgr/db/queries/teams';
import { teamSpentBetween } from '@bgr/db/queries/teams-ui';
import { teamNotices, type TeamNotice } from '~/lib/team-banners';
import { AppError } from '../errors/app-error';
import { memberDays } from './usage-days';
import { balanceBuckets } from '../balance-view';

type Membership = NonNullable<Awaited<ReturnType<typeof getTeamForUser>>>;

/** The team's budget for its current period and what it spent of it (the 80 % notice's numbers). */
export async function teamBudget(
  db: Db,
  teamId: string,
  plan: { monthlyUnits: number; periodStart: Date } | null,
  availableUnits: number,
  now: Date,
): Promise<{ budgetUnits: number | null; usedUnits: number }> {
  // With a plan the period is the plan's and the budget its monthly credits; without one the
  // period is the calendar month and the budget what the team had in it (spent + still there).
  const since = plan ? plan.periodStart : capMonth(now).start;
  const usedUnits = await teamSpentBetween(db, { teamId, since, until: new Date(now.getTime() + 1) });
  const budgetUnits = plan ? plan.monthlyUnits : usedUnits + availableUnits;
  return { budgetUnits: budgetUnits > 0 ? budgetUnits : null, usedUnits };
}

export async function noticesFor(db: Db, m: Membership, now: Date): Promise<TeamNotice[]> {
  const team = await getTeamBalance(db, { teamId: m.team.id, now });
  const budget = await teamBudget(db, m.team.id, team.subscription, team.totalUnits, now);
  return teamNotices({
    teamName: m.team.name,
    role: m.role,
    capUnits: m.capUnits,
    capUsedUnits: m.capUsedUnits,
    budgetUnits: budget.budgetUnits,
    budgetUsedUnits: budget.usedUnits,
  });
}

/** Members with their role, cap and team credits used this calendar month (UTC), as the cap counts them. */
export async function membersThisMonth(db: Db, teamId: string, now: Date) {
  const rows = await listTeamMembers(db, { teamId, now });
  return rows.map((r) => ({
    userId: r.userId,
    email: r.email,
    name: r.name,
    role: r.role,
    capUnits: r.capUnits,
    usedUnits: r.capUsedUnits,
  }));
}

export async function myTeam(db: Db, userId: string, now: Date) {
  const m = await getTeamForUser(db, userId, now);
  if (!m) return null;
  const me = {
    teamName: m.team.name,
    role: m.role,
    capUnits: m.capUnits,
    capUsedUnits: m.capUsedUnits,
    capLeftUnits: m.capLeftUnits,
    availableUnits: m.availableUnits,
  };
  const notices = await noticesFor(db, m, now);
  const team = { id: m.team.id, name: m.team.name, ownersManageMembers: m.team.ownersManageMembers };
  if (m.role !== 'owner') return { team, role: m.role, me, notices, owner: null };

  const [b, members, usage] = await Promise.all([
    getTeamBalance(db, { teamId: m.team.id, now }),
    membersThisMonth(db, m.team.id, now),
    memberDays(db, m.team.id, { since: capMonth(now).start, until: now }),
  ]);
  return {
    team,
    role: m.role,
    me,
    notices,
    owner: {
      balance: balanceBuckets(b),
      subscription: b.subscription,
      members,
      usage,
      canManage: m.team.ownersManageMembers,
    },
  };
}

/**
 * The team whose members the caller would change. Only a lookup: whether they may (an owner, the
 * setting on, the person in their team, never an owner removed) is decided by the action itself, in
 * the change's transaction (`asOwner`), so an admin's concurrent change cannot slip between.
 */
export async function callersTeamId(db: Db, userId: string): Promise<string> {
  const m = await getMembership(db, userId);
  if (!m) throw new AppError('not_in_team', 'You are not in a team.', 403);
  return m.teamId;
}
