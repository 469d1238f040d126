/**
 * The team admin actions on both databases: each change writes exactly one audit entry of its
 * documented shape (`via`, the actor's id or null for the CLI, the team by id and name, the person
 * as targetUserId); a refusal changes nothing and records nothing. Grants and plans for a team go
 * through the person's actions with `team` instead of `user`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actions/actor';
import { cancelPlanAction } from '../src/actions/cancel-plan';
import { changePlanAction } from '../src/actions/change-plan';
import { grantCreditsAction } from '../src/actions/grant-credits';
import { startPlanAction } from '../src/actions/start-plan';
import { addTeamMemberAction } from '../src/actions/team/add-team-member';
import { createTeamAction } from '../src/actions/team/create-team';
import { removeTeamMemberAction } from '../src/actions/team/remove-team-member';
import { renameTeamAction } from '../src/actions/team/rename-team';
import { setMemberCapAction } from '../src/actions/team/set-member-cap';
import { setMemberRoleAction } from '../src/actions/team/set-member-role';
import { setTeamSettingsAction } from '../src/actions/team/set-team-settings';
import type { Db } from '../src/client';
import { listAudit } from '../src/queries/audit';
import { balance, reconcile } from '../src/queries/ledger';
import {
  canManageMembers,
  getTeamByName,
  getTeamForUser,
  listTeamMembers,
  listTeams,
  TeamError,
} from '../src/queries/teams';
import { createUser } from '../src/queries/users';
import { createTestDb, DB_KINDS } from './support';

const T0 = new Date('2030-03-01T00:00:00.000Z');

describe.each(DB_KINDS)('team actions on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let admin: { id: string; email: string };
  let web: Actor;
  beforeAll(async () => {
    ({ db, close } = await createTestDb(kind));
    admin = await createUser(db, { email: 'boss@example.com', role: 'admin' });
    web = { via: 'web', actorId: admin.id };
  });
  afterAll(async () => {
    if (db) expect(await reconcile(db)).toMatchObject({ ok: true, drift: [] });
    await close?.();
  });

  async function auditDuring(fn: () => Promise<unknown>) {
    const before = (await listAudit(db, { limit: 1 }))[0]?.id ?? 0;
    await fn();
    return (await listAudit(db, { limit: 1000 })).filter((e) => e.id > before).reverse();
  }
  async function refusedSilently(fn: () => Promise<unknown>, code: string) {
    const entries = await auditDuring(async () => {
      await expect(fn()).rejects.toMatchObject({ code });
    });
    expect(entries).toEqual([]);
  }

  it('each team action writes one audit entry of its shape; refusals record nothing', async () => {
    const name = `Studio ${randomUUID().slice(0, 6)}`;
    const owner = await createUser(db, { email: `owner-${randomUUID().slice(0, 8)}@example.com` });
    const member = await createUser(db, { email: `member-${randomUUID().slice(0, 8)}@example.com` });
    let teamId = '';
    expect(
      await auditDuring(async () => {
        teamId = (await createTeamAction(db, { actor: web, name: `  ${name} `, now: T0 })).id;
      }),
    ).toEqual([
      expect.objectContaining({
        action: 'team.create',
        actorId: admin.id,
        targetUserId: null,
        details: { via: 'web', teamId: expect.any(String), team: name, at: T0.toISOString() },
      }),
    ]);
    expect((await getTeamByName(db, name.toUpperCase()))?.id).toBe(teamId);
    await refusedSilently(() => createTeamAction(db, { actor: web, name: name.toLowerCase() }), 'team_exists');
    await refusedSilently(() => createTeamAction(db, { actor: web, name: '   ' }), 'invalid_name');

    expect(
      await auditDuring(() => renameTeamAction(db, { actor: { via: 'cli' }, team: { id: teamId }, name: `${name} 2` })),
    ).toEqual([
      expect.objectContaining({
        action: 'team.rename',
        actorId: null,
        details: { via: 'cli', teamId, from: name, team: `${name} 2` },
      }),
    ]);
    expect(
      await auditDuring(() =>
        setTeamSettingsAction(db, { actor: web, team: { name: `${name} 2` }, ownersManageMembers: true }),
      ),
    ).toEqual([
      expect.objectContaining({
        action: 'team.settings',
        details: { via: 'web', teamId, team: `${name} 2`, ownersManageMembers: true, was: false },
      }),
    ]);

    const team = { id: teamId };
    expect(
      await auditDuring(() =>
        addTeamMemberAction(db, { actor: web, team, user: { email: owner.email }, role: 'owner', now: T0 }),
      ),
    ).toEqual([
      expect.objectContaining({
        action: 'team.member.add',
        targetUserId: owner.id,
        details: {
          via: 'web',
          teamId,
          team: `${name} 2`,
          email: owner.email,
          role: 'owner',
          monthlyCapUnits: null,
          at: T0.toISOString(),
        },
      }),
    ]);
    await addTeamMemberAction(db, { actor: web, team, user: { id: member.id }, monthlyCapUnits: 8, now: T0 });
    expect(await canManageMembers(db, owner.id, teamId)).toBe(true);
    expect(await canManageMembers(db, member.id, teamId)).toBe(false);
    // One team per person: adding them to another team is refused.
    const other = await createTeamAction(db, { actor: web, name: `Other ${randomUUID().slice(0, 6)}` });
    await refusedSilently(
      () => addTeamMemberAction(db, { actor: web, team: { id: other.id }, user: { id: member.id } }),
      'already_in_team',
    );
    await refusedSilently(
      () => addTeamMemberAction(db, { actor: web, team: { name: 'No such team' }, user: { id: member.id } }),
      'team_not_found',
    );
    await refusedSilently(
      () => setMemberCapAction(db, { actor: web, team: { id: other.id }, user: { id: member.id }, monthlyCapUnits: 4 }),
      'not_a_member',
    );
    await refusedSilently(
      () => setMemberCapAction(db, { actor: web, team, user: { id: member.id }, monthlyCapUnits: -4 }),
      'invalid_cap',
    );

    expect(
      await auditDuring(() =>
        setMemberCapAction(db, { actor: web, team, user: { id: member.id }, monthlyCapUnits: 12, now: T0 }),
      ),
    ).toEqual([
      expect.objectContaining({
        action: 'team.member.cap',
        targetUserId: member.id,
        details: expect.objectContaining({ monthlyCapUnits: 12, was: 8, email: member.email }),
      }),
    ]);
    expect(
      await auditDuring(() => setMemberRoleAction(db, { actor: web, team, user: { id: member.id }, role: 'owner' })),
    ).toEqual([
      expect.objectContaining({
        action: 'team.member.role',
        details: expect.objectContaining({ role: 'owner', was: 'member' }),
      }),
    ]);
    await setMemberRoleAction(db, { actor: web, team, user: { id: member.id }, role: 'member' });

    // Credits and plans of a team: the person's actions with `team`.
    expect(
      await auditDuring(() =>
        grantCreditsAction(db, { actor: web, team, units: 40, kind: 'payg', note: 'Q1 budget', now: T0 }),
      ),
    ).toEqual([
      expect.objectContaining({
        action: 'credits.grant',
        targetUserId: null,
        note: 'Q1 budget',
        details: expect.objectContaining({ via: 'web', teamId, team: `${name} 2`, kind: 'payg', units: 40 }),
      }),
    ]);
    await refusedSilently(() => cancelPlanAction(db, { actor: web, team, now: T0 }), 'no_subscription');
    await expect(cancelPlanAction(db, { actor: web, team, now: T0 })).rejects.toThrow(
      'This team has no plan to cancel.',
    );
    const plan = await auditDuring(async () => {
      await startPlanAction(db, { actor: web, team, monthlyUnits: 20, now: T0 });
      await changePlanAction(db, { actor: web, team, monthlyUnits: 24, now: T0 });
      await cancelPlanAction(db, { actor: web, team, now: T0 });
    });
    expect(plan.map((e) => [e.action, e.targetUserId, (e.details as { teamId?: string }).teamId])).toEqual([
      ['subscription.start', null, teamId],
      ['subscription.change', null, teamId],
      ['subscription.cancel', null, teamId],
    ]);
    expect(await balance(db, { teamId, now: T0 })).toMatchObject({
      // The plan change carried the first budget over (same rules as a person's plan).
      totalUnits: 84,
      paygUnits: 40,
      rolloverUnits: 20,
      subscriptionUnits: 24,
      subscription: { monthlyUnits: 24, cancelAtPeriodEnd: true },
    });
    expect(await getTeamForUser(db, member.id, T0)).toMatchObject({
      team: { id: teamId, ownersManageMembers: true },
      role: 'member',
      capUnits: 12,
      capLeftUnits: 12,
      availableUnits: 12,
      poolUnits: 84,
    });
    expect(await listTeamMembers(db, { teamId, now: T0 })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: owner.id, role: 'owner', capUnits: null, availableUnits: 84 }),
        expect.objectContaining({ userId: member.id, role: 'member', capUnits: 12, availableUnits: 12 }),
      ]),
    );
    expect((await listTeams(db, { now: T0 })).find((t) => t.id === teamId)).toMatchObject({
      memberCount: 2,
      totalUnits: 84,
    });

    expect(
      await auditDuring(() =>
        removeTeamMemberAction(db, { actor: { via: 'cli' }, team, user: { email: member.email } }),
      ),
    ).toEqual([
      expect.objectContaining({
        action: 'team.member.remove',
        actorId: null,
        targetUserId: member.id,
        details: expect.objectContaining({ via: 'cli', teamId, email: member.email, role: 'member' }),
      }),
    ]);
    await refusedSilently(
      () => removeTeamMemberAction(db, { actor: web, team, user: { id: member.id } }),
      'not_a_member',
    );
    expect(await getTeamForUser(db, member.id, T0)).toBeNull();
    expect(TeamError.name).toBe('TeamError');
  });
});
