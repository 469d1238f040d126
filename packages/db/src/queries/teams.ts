/**
 * Teams: departments that hold credits like a person (the ledger keeps their lots, plans and
 * entries under `{ teamId }`), and their members. A person belongs to at most one team, as owner or
 * member, with an optional monthly cap on team credits. Membership changes take the person's row
 * lock, the same lock a charge takes first, so a charge sees the membership before or after the
 * change, never half of it. Admin changes go through actions/team/* (audited).
 */
import { unitsToCredits } from '@bgr/credits';
import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { holds, type Team, type TeamMember, type TeamRole, teamMembers, teams, users } from '../schema';
import { type Balance, balance, balances, type TeamShare, withUserLock } from './ledger';

export type TeamErrorCode =
  | 'team_not_found'
  | 'team_exists'
  | 'invalid_name'
  | 'invalid_role'
  | 'invalid_cap'
  | 'already_in_team'
  | 'not_a_member'
  // A team owner's refusals (team-owner.ts).
  | 'not_in_team'
  | 'not_team_owner'
  | 'owners_may_not_manage'
  | 'not_in_your_team'
  | 'owner_only_admin'
  | 'owner_cap_admin_only';

export class TeamError extends Error {
  constructor(
    readonly code: TeamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TeamError';
  }
}

export const TEAM_NAME_MAX = 100;

/** A team name as stored: trimmed, inner runs of spaces kept; 1 to 100 characters. */
export function normalizeTeamName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > TEAM_NAME_MAX)
    throw new TeamError('invalid_name', `A team name is 1 to ${TEAM_NAME_MAX} characters, got "${name}".`);
  return trimmed;
}

function assertRole(role: string): asserts role is TeamRole {
  if (role !== 'owner' && role !== 'member')
    throw new TeamError('invalid_role', `A team role is owner or member, not ${role}.`);
}

/** A monthly cap in units: a non-negative whole number, or null for none. */
export function assertCap(units: number | null): void {
  if (units !== null && (!Number.isSafeInteger(units) || units < 0))
    throw new TeamError('invalid_cap', `A monthly cap is 0 or more credits in quarter steps, got ${units / 4}.`);
}

const isUniqueViolation = (e: unknown) =>
  (e as { code?: string })?.code === '23505' || (e as { cause?: { code?: string } })?.cause?.code === '23505';

export async function getTeam(db: Db, teamId: string): Promise<Team | null> {
  const [row] = await db.select().from(teams).where(eq(teams.id, teamId));
  return row ?? null;
}

/** By name, whatever its case. */
export async function getTeamByName(db: Db, name: string): Promise<Team | null> {
  const [row] = await db.select().from(teams).where(sql`lower(${teams.name}) = lower(${name.trim()})`);
  return row ?? null;
}

export async function createTeam(db: Db, input: { name: string; now?: Date }): Promise<Team> {
  const name = normalizeTeamName(input.name);
  if (await getTeamByName(db, name)) throw new TeamError('team_exists', `A team named ${name} already exists.`);
  try {
    const [row] = await db
      .insert(teams)
      .values({ name, ...(input.now ? { createdAt: input.now } : {}) })
      .returning();
    return row!;
  } catch (e) {
    if (isUniqueViolation(e)) throw new TeamError('team_exists', `A team named ${name} already exists.`);
    throw e;
  }
}

export async function renameTeam(db: Db, input: { teamId: string; name: string }): Promise<Team> {
  const name = normalizeTeamName(input.name);
  const other = await getTeamByName(db, name);
  if (other && other.id !== input.teamId) throw new TeamError('team_exists', `A team named ${name} already exists.`);
  try {
    const [row] = await db.update(teams).set({ name }).where(eq(teams.id, input.teamId)).returning();
    if (!row) throw new TeamError('team_not_found', 'That team does not exist.');
    return row;
  } catch (e) {
    if (isUniqueViolation(e)) throw new TeamError('team_exists', `A team named ${name} already exists.`);
    throw e;
  }
}

/** The admin's settings of a team: whether its owners may add and remove members and set caps. */
export async function setTeamSettings(db: Db, input: { teamId: string; ownersManageMembers: boolean }): Promise<Team> {
  const [row] = await db
    .update(teams)
    .set({ ownersManageMembers: input.ownersManageMembers })
    .where(eq(teams.id, input.teamId))
    .returning();
  if (!row) throw new TeamError('team_not_found', 'That team does not exist.');
  return row;
}

/** Adds a person to a team; someone already in a team (this one or another) is refused. */
export async function addTeamMember(
  db: Db,
  input: { teamId: string; userId: string; role?: TeamRole; monthlyCapUnits?: number | null; now?: Date },
): Promise<TeamMember> {
  const role = input.role ?? 'member';
  assertRole(role);
  const cap = input.monthlyCapUnits ?? null;
  assertCap(cap);
  const now = input.now ?? new Date();
  return withUserLock(db, input.userId, now, async (tx) => {
    const team = await getTeam(tx, input.teamId);
    if (!team) throw new TeamError('team_not_found', 'That team does not exist.');
    const [current] = await tx
      .select({ teamId: teamMembers.teamId, name: teams.name })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, input.userId));
    if (current)
      throw new TeamError(
        'already_in_team',
        current.teamId === team.id
          ? `This person is already in ${team.name}.`
          : `This person is already in the team ${current.name}; a person belongs to one team at most.`,
      );
    const [row] = await tx
      .insert(teamMembers)
      .values({ userId: input.userId, teamId: team.id, role, monthlyCapUnits: cap, joinedAt: now })
      .returning();
    return row!;
  });
}

/** A person's membership row (of whichever team), or null. */
export async function getMembership(db: Db, userId: string): Promise<TeamMember | null> {
  const [row] = await db.select().from(teamMembers).where(eq(teamMembers.userId, userId));
  return row ?? null;
}

async function memberRow(tx: Db, teamId: string, userId: string): Promise<TeamMember> {
  const [row] = await tx
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
  if (!row) throw new TeamError('not_a_member', 'This person is not a member of that team.');
  return row;
}

/**
 * Takes a person out of a team. Their own credits stay theirs; holds already taken on the team's
 * lots finish there (the ledger settles a hold against the lots it drew from).
 */
export function removeTeamMember(db: Db, input: { teamId: string; userId: string; now?: Date }): Promise<TeamMember> {
  return withUserLock(db, input.userId, input.now ?? new Date(), async (tx) => {
    const row = await memberRow(tx, input.teamId, input.userId);
    await tx.delete(teamMembers).where(eq(teamMembers.userId, input.userId));
    return row;
  });
}

/** A member's monthly cap (units, null: none); it applies at once, to this month's use so far too. */
export function setMemberCap(
  db: Db,
  input: { teamId: string; userId: string; monthlyCapUnits: number | null; now?: Date },
): Promise<TeamMember> {
  assertCap(input.monthlyCapUnits);
  return withUserLock(db, input.userId, input.now ?? new Date(), async (tx) => {
    await memberRow(tx, input.teamId, input.userId);
    const [row] = await tx
      .update(teamMembers)
      .set({ monthlyCapUnits: input.monthlyCapUnits })
      .where(eq(teamMembers.userId, input.userId))
      .returning();
    return row!;
  });
}

export function setMemberRole(
  db: Db,
  input: { teamId: string; userId: string; role: TeamRole; now?: Date },
): Promise<TeamMember> {
  assertRole(input.role);
  return withUserLock(db, input.userId, input.now ?? new Date(), async (tx) => {
    await memberRow(tx, input.teamId, input.userId);
    const [row] = await tx
      .update(teamMembers)
      .set({ role: input.role })
      .where(eq(teamMembers.userId, input.userId))
      .returning();
    return row!;
  });
}

/** A team's balance: the same fields as a person's (`team` is null; heldUnits = its part of members' open holds). */
export function getTeamBalance(db: Db, input: { teamId: string; now?: Date }): Promise<Balance> {
  return balance(db, { teamId: input.teamId, ...(input.now ? { now: input.now } : {}) });
}

export interface TeamListItem {
  id: string;
  name: string;
  ownersManageMembers: boolean;
  createdAt: Date;
  memberCount: number;
  /** What the team can spend now. */
  totalUnits: number;
}

/** Every team, by name, with its member count and balance. */
export async function listTeams(db: Db, input: { now?: Date } = {}): Promise<TeamListItem[]> {
  const now = input.now ?? new Date();
  const rows = await db
    .select({
      id: teams.id,
      name: teams.name,
      ownersManageMembers: teams.ownersManageMembers,
      createdAt: teams.createdAt,
      memberCount: count(teamMembers.userId),
    })
    .from(teams)
    .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(sql`lower(${teams.name})`));
  const out: TeamListItem[] = [];
  for (const r of rows) {
    const b = await balance(db, { teamId: r.id, now });
    out.push({ ...r, memberCount: Number(r.memberCount), totalUnits: b.totalUnits });
  }
  return out;
}

/** A member as the team pages show them: who, role, cap and this month's use of it. */
export interface TeamMemberView {
  userId: string;
  email: string;
  name: string | null;
  role: TeamRole;
  joinedAt: Date;
  capUnits: number | null;
  capUsedUnits: number;
  capLeftUnits: number | null;
  /** Team credits this member can draw now. */
  availableUnits: number;
}

export async function listTeamMembers(db: Db, input: { teamId: string; now?: Date }): Promise<TeamMemberView[]> {
  const now = input.now ?? new Date();
  const rows = await db
    .select({
      userId: teamMembers.userId,
      email: users.email,
      name: users.name,
      role: teamMembers.role,
      joinedAt: teamMembers.joinedAt,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, input.teamId))
    .orderBy(asc(users.email));
  const byUser = await balances(db, { userIds: rows.map((r) => r.userId), now });
  return rows.map((r) => {
    const share = byUser.get(r.userId)?.team;
    return {
      ...r,
      capUnits: share?.capUnits ?? null,
      capUsedUnits: share?.capUsedUnits ?? 0,
      capLeftUnits: share?.capLeftUnits ?? null,
      availableUnits: share?.availableUnits ?? 0,
    };
  });
}

/** A person's team as they see it: the team, their role, their cap and its use this month, what they can draw now. */
export interface TeamForUser {
  team: { id: string; name: string; ownersManageMembers: boolean };
  role: TeamRole;
  capUnits: number | null;
  capUsedUnits: number;
  capLeftUnits: number | null;
  availableUnits: number;
  /** What the whole team can spend now. */
  poolUnits: number;
}

export async function getTeamForUser(db: Db, userId: string, now: Date = new Date()): Promise<TeamForUser | null> {
  const share: TeamShare | null = (await balance(db, { userId, now })).team;
  if (!share) return null;
  const team = await getTeam(db, share.teamId);
  return {
    team: { id: share.teamId, name: share.name, ownersManageMembers: team?.ownersManageMembers ?? false },
    role: share.role,
    capUnits: share.capUnits,
    capUsedUnits: share.capUsedUnits,
    capLeftUnits: share.capLeftUnits,
    availableUnits: share.availableUnits,
    poolUnits: share.poolUnits,
  };
}

/** Whether this person may manage the team's members: an owner of it, and the admin allowed owners to. */
export async function canManageMembers(db: Db, userId: string, teamId: string): Promise<boolean> {
  const [row] = await db
    .select({ role: teamMembers.role, allowed: teams.ownersManageMembers })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.userId, userId), eq(teamMembers.teamId, teamId)));
  return row?.role === 'owner' && row.allowed;
}

export interface MemberUsageDay {
  userId: string;
  email: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** Team units charged (captured holds' team part) that day. */
  units: number;
  credits: number;
}

const holdDay = sql<string>`to_char(${holds.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

/**
 * Team credits charged per member per UTC day in [from, to): the team part of their captured holds
 * (held ones are not charged yet, released ones never were), for a chart. Days without use are absent.
 */
export async function teamUsageByMember(db: Db, teamId: string, from: Date, to: Date): Promise<MemberUsageDay[]> {
  const charged = sql<number>`coalesce(sum(least(coalesce(${holds.capturedUnits}, 0), ${holds.teamUnits})), 0)::int`;
  const rows = await db
    .select({ userId: holds.userId, email: users.email, day: holdDay, units: charged })
    .from(holds)
    .innerJoin(users, eq(users.id, holds.userId))
    .where(
      and(eq(holds.teamId, teamId), eq(holds.status, 'captured'), gte(holds.createdAt, from), lt(holds.createdAt, to)),
    )
    .groupBy(holds.userId, users.email, holdDay)
    .orderBy(holdDay, users.email);
  return rows
    .map((r) => ({ ...r, units: Number(r.units), credits: unitsToCredits(Number(r.units)) }))
    .filter((r) => r.units > 0);
}
