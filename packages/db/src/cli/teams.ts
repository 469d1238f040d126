/**
 * The admin CLI's team commands (`team create|rename|list|add-member|remove-member|set-cap`): each
 * runs the same audited action the console uses, as the operator (`via: "cli"`), and prints one
 * JSON document. Credits, plans and balances of a team use the person commands with `--team N`.
 */
import { addTeamMemberAction } from '../actions/team/add-team-member';
import { createTeamAction } from '../actions/team/create-team';
import { removeTeamMemberAction } from '../actions/team/remove-team-member';
import { renameTeamAction } from '../actions/team/rename-team';
import { setMemberCapAction } from '../actions/team/set-member-cap';
import { listTeams } from '../queries/teams';
import type { Team, TeamMember } from '../schema';
import { UsageError } from './args';
import { CLI, type Command, credits, iso } from './commands';

const capJson = (units: number | null) => (units === null ? null : credits(units));

function teamJson(t: Team) {
  return { id: t.id, name: t.name, ownersManageMembers: t.ownersManageMembers, createdAt: iso(t.createdAt) };
}

function memberJson(team: string, email: string, m: TeamMember) {
  return { team, email, role: m.role, monthlyCap: capJson(m.monthlyCapUnits), joinedAt: iso(m.joinedAt) };
}

export const TEAM_COMMANDS: Record<string, Command> = {
  'team create': {
    usage: 'team create --name N [--at ISO]',
    parse: (f) => {
      const name = f.required('name');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => ({ json: teamJson(await createTeamAction(db, { actor: CLI, name, now })) });
    },
  },

  'team rename': {
    usage: 'team rename --team N --name M',
    parse: (f) => {
      const team = f.required('team');
      const name = f.required('name');
      f.done();
      return async (db) => ({ json: teamJson(await renameTeamAction(db, { actor: CLI, team: { name: team }, name })) });
    },
  },

  'team list': {
    usage: 'team list [--at ISO]',
    parse: (f) => {
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => ({
        json: (await listTeams(db, { now })).map((t) => ({
          id: t.id,
          name: t.name,
          members: t.memberCount,
          total: credits(t.totalUnits),
          ownersManageMembers: t.ownersManageMembers,
        })),
      });
    },
  },

  'team add-member': {
    usage: 'team add-member --team N --email E [--role owner|member] [--monthly-cap C] [--at ISO]',
    parse: (f) => {
      const team = f.required('team');
      const email = f.required('email');
      const role = f.string('role') === undefined ? 'member' : f.oneOf('role', ['owner', 'member'] as const);
      const monthlyCapUnits = f.cap('monthly-cap') ?? null;
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const m = await addTeamMemberAction(db, {
          actor: CLI,
          team: { name: team },
          user: { email },
          role,
          monthlyCapUnits,
          now,
        });
        return { json: memberJson(team, email, m) };
      };
    },
  },

  'team remove-member': {
    usage: 'team remove-member --team N --email E [--at ISO]',
    parse: (f) => {
      const team = f.required('team');
      const email = f.required('email');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const m = await removeTeamMemberAction(db, { actor: CLI, team: { name: team }, user: { email }, now });
        return { json: { ...memberJson(team, email, m), removed: true } };
      };
    },
  },

  'team set-cap': {
    usage: 'team set-cap --team N --email E --monthly-cap C|none [--at ISO]',
    parse: (f) => {
      const team = f.required('team');
      const email = f.required('email');
      const cap = f.cap('monthly-cap');
      if (cap === undefined) throw new UsageError('team set-cap needs --monthly-cap (credits, or none).');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const m = await setMemberCapAction(db, {
          actor: CLI,
          team: { name: team },
          user: { email },
          monthlyCapUnits: cap,
          now,
        });
        return { json: memberJson(team, email, m) };
      };
    },
  },
};
