/**
 * The team procedures in-process on real databases. The admin console's are refused to anonymous
 * callers and ordinary users (and write nothing); an owner changes members only when the team's
 * setting allows it, only in their own team, never an owner and never an owner's cap; a member's
 * Team page holds their own use and never anyone else's, while the owner's shows every member's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { withTestDb, DB_KINDS } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { capture, reserve } from '@bgr/db/queries/ledger';
import { createUser } from '@bgr/db/queries/users';
import { callerFor } from '../support/context';

type Caller = Awaited<ReturnType<typeof callerFor>>;
type Person = { id: string; email: string; role: string };

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: 'OK', message: '' };
  } catch (err) {
    return err instanceof TRPCError
      ? { code: err.code, message: err.message }
      : { code: 'non-trpc', message: String(err) };
  }
}
const codeOf = async (p: Promise<unknown>) => (await refusal(p)).code;

describe.each(DB_KINDS)('team routers on %s', (kind) => {
  const t = withTestDb(kind);
  let admin: Person;
  let owner: Person;
  let member: Person;
  let other: Person;
  let outsider: Person;
  let asAdmin: Caller;
  let asOwner: Caller;
  let asMember: Caller;
  let asOther: Caller;
  let asOutsider: Caller;
  let anonymous: Caller;
  let teamId: string;

  const person = (email: string, role: 'user' | 'admin' = 'user') =>
    createUser(t.db, { email, password: 'correct horse battery', role });

  beforeAll(async () => {
    admin = await person('admin@example.com', 'admin');
    owner = await person('owner@example.com');
    member = await person('member@example.com');
    other = await person('other@example.com');
    outsider = await person('outsider@example.com');
    asAdmin = await callerFor(t.db, admin);
    asOwner = await callerFor(t.db, owner);
    asMember = await callerFor(t.db, member);
    asOther = await callerFor(t.db, other);
    asOutsider = await callerFor(t.db, outsider);
    anonymous = await callerFor(t.db, null);

    teamId = (await asAdmin.adminTeams.create({ name: 'Studio' })).id;
    await asAdmin.adminTeams.addMember({ teamId, email: owner.email, role: 'owner', monthlyCredits: null });
    await asAdmin.adminTeams.addMember({ teamId, email: member.email, role: 'member', monthlyCredits: 5 });
    await asAdmin.adminTeams.addMember({ teamId, email: other.email, role: 'member', monthlyCredits: null });
    await asAdmin.adminTeams.grant({ teamId, credits: 10, kind: 'payg', note: 'Budget Q4' });
    // The member downloads 2 HD images and "other" 1: charged to the team, within the member's cap.
    for (const [who, key] of [
      [member, 'hd:a'],
      [member, 'hd:b'],
      [other, 'hd:c'],
    ] as const) {
      const r = await reserve(t.db, { userId: who.id, units: 4, key });
      if (!r.ok) throw new Error(`reserve failed: ${JSON.stringify(r)}`);
      await capture(t.db, { holdId: r.hold.id, units: 4 });
    }
  });

  it('refuses every admin team procedure to anonymous callers and ordinary users, writing nothing', async () => {
    const calls: Record<string, (c: Caller) => Promise<unknown>> = {
      list: (c) => c.adminTeams.list(),
      create: (c) => c.adminTeams.create({ name: 'Sneaky' }),
      rename: (c) => c.adminTeams.rename({ teamId, name: 'Renamed' }),
      setSettings: (c) => c.adminTeams.setSettings({ teamId, ownersManageMembers: true }),
      team: (c) => c.adminTeams.team({ teamId }),
      addMember: (c) => c.adminTeams.addMember({ teamId, email: outsider.email, role: 'owner', monthlyCredits: null }),
      updateMember: (c) =>
        c.adminTeams.updateMember({ teamId, userId: member.id, role: 'owner', monthlyCredits: null }),
      removeMember: (c) => c.adminTeams.removeMember({ teamId, userId: member.id }),
      grant: (c) => c.adminTeams.grant({ teamId, credits: 100, kind: 'promo' }),
      startPlan: (c) => c.adminTeams.startPlan({ teamId, monthlyCredits: 100 }),
      changePlan: (c) => c.adminTeams.changePlan({ teamId, monthlyCredits: 100 }),
      cancelPlan: (c) => c.adminTeams.cancelPlan({ teamId }),
    };
    const { appRouter } = await import('~/server/api/root');
    const paths = Object.keys(appRouter._def.procedures as Record<string, unknown>)
      .filter((p) => p.startsWith('adminTeams.'))
      .map((p) => p.slice('adminTeams.'.length))
      .sort();
    expect(paths).toEqual(Object.keys(calls).sort());

    const auditBefore = (await listAudit(t.db, { limit: 1000 })).length;
    for (const [name, call] of Object.entries(calls)) {
      expect(await codeOf(call(anonymous)), `anonymous ${name}`).toBe('UNAUTHORIZED');
      // An owner of the team is still not an admin.
      expect(await codeOf(call(asOwner)), `owner ${name}`).toBe('FORBIDDEN');
      expect(await codeOf(call(asOutsider)), `user ${name}`).toBe('FORBIDDEN');
    }
    expect((await listAudit(t.db, { limit: 1000 })).length).toBe(auditBefore);
    const detail = await asAdmin.adminTeams.team({ teamId });
    expect(detail.team.name).toBe('Studio');
    expect(detail.members.map((m) => m.email).sort()).toEqual([member.email, other.email, owner.email].sort());
  });

  it("shows the admin the team's balance, members' use this month, ledger and chart", async () => {
    const d = await asAdmin.adminTeams.team({ teamId });
    expect(d.balance.totalUnits).toBe(40 - 12);
    expect(d.balance.paygUnits).toBe(28);
    const used = Object.fromEntries(d.members.map((m) => [m.email, [m.role, m.capUnits, m.usedUnits]]));
    expect(used).toEqual({
      [owner.email]: ['owner', null, 0],
      [member.email]: ['member', 20, 8],
      [other.email]: ['member', null, 4],
    });
    expect(d.entries.some((e) => e.type === 'grant' && e.units === 40)).toBe(true);
    expect(d.lots.map((l) => [l.kind, l.amount, l.remaining, l.state])).toEqual([['payg', 40, 28, 'live']]);
    const today = d.usage.at(-1)!;
    expect(today.byMember).toEqual({ [member.id]: 8, [other.id]: 4 });
    const list = await asAdmin.adminTeams.list();
    expect(list.find((x) => x.id === teamId)).toMatchObject({ name: 'Studio', members: 3, totalUnits: 28 });
  });

  it('refuses an owner changing members while the team does not allow it, and changes nothing', async () => {
    const add = await refusal(asOwner.team.addMember({ email: outsider.email, monthlyCredits: null }));
    expect(add.code).toBe('FORBIDDEN');
    expect(add.message).toMatch(/administrator has not allowed/);
    expect(await codeOf(asOwner.team.setCap({ userId: member.id, monthlyCredits: 100 }))).toBe('FORBIDDEN');
    expect(await codeOf(asOwner.team.removeMember({ userId: other.id }))).toBe('FORBIDDEN');
    const d = await asAdmin.adminTeams.team({ teamId });
    expect(d.members).toHaveLength(3);
    expect(d.members.find((m) => m.userId === member.id)?.capUnits).toBe(20);
  });

  it('lets an owner manage members once allowed — members only, in their own team', async () => {
    await asAdmin.adminTeams.setSettings({ teamId, ownersManageMembers: true });
    // A member is never allowed, whatever the setting.
    expect(await codeOf(asMember.team.addMember({ email: outsider.email, monthlyCredits: null }))).toBe('FORBIDDEN');
    expect(await codeOf(asMember.team.setCap({ userId: other.id, monthlyCredits: 0 }))).toBe('FORBIDDEN');
    // Someone outside the team is not the owner's to change; another owner is the admins'.
    expect(await codeOf(asOwner.team.setCap({ userId: outsider.id, monthlyCredits: 1 }))).toBe('NOT_FOUND');

    // An owner learns neither another team's name nor more than that an address has no account.
    const elsewhere = await person('elsewhere@example.com');
    const otherTeam = (await asAdmin.adminTeams.create({ name: 'Secret Lab' })).id;
    await asAdmin.adminTeams.addMember({
      teamId: otherTeam,
      email: elsewhere.email,
      role: 'member',
      monthlyCredits: null,
    });
    const taken = await refusal(asOwner.team.addMember({ email: elsewhere.email, monthlyCredits: null }));
    expect(taken.code).toBe('CONFLICT');
    expect(taken.message).not.toContain('Secret Lab');
    expect((await refusal(asOwner.team.addMember({ email: 'nobody@example.com', monthlyCredits: null }))).code).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(asOwner.team.removeMember({ userId: owner.id }))).toBe('FORBIDDEN');
    // Every owner's cap is the admins' to set — the owner's own, and another owner's (with two
    // owners, each could otherwise lift the other's): refused with a sentence, unchanged, nothing recorded.
    await asAdmin.adminTeams.updateMember({ teamId, userId: other.id, role: 'owner' });
    await asAdmin.adminTeams.updateMember({ teamId, userId: owner.id, monthlyCredits: 3 });
    await asAdmin.adminTeams.updateMember({ teamId, userId: other.id, monthlyCredits: 2 });
    const capsBefore = await listAudit(t.db, { action: 'team.member.cap', limit: 1000 });
    const OWNER_CAP = { code: 'FORBIDDEN', message: "Only an administrator can change an owner's monthly cap." };
    for (const [caller, target] of [
      [asOwner, owner],
      [asOwner, other],
      [asOther, owner],
      [asOther, other],
    ] as const) {
      expect(await refusal(caller.team.setCap({ userId: target.id, monthlyCredits: 1000 }))).toEqual(OWNER_CAP);
      expect(await refusal(caller.team.setCap({ userId: target.id, monthlyCredits: null }))).toEqual(OWNER_CAP);
    }
    const caps = (await asAdmin.adminTeams.team({ teamId })).members;
    expect(caps.find((m) => m.userId === owner.id)?.capUnits).toBe(12);
    expect(caps.find((m) => m.userId === other.id)?.capUnits).toBe(8);
    expect(await listAudit(t.db, { action: 'team.member.cap', limit: 1000 })).toEqual(capsBefore);
    await asAdmin.adminTeams.updateMember({ teamId, userId: owner.id, monthlyCredits: null });
    await asAdmin.adminTeams.updateMember({ teamId, userId: other.id, role: 'member', monthlyCredits: null });

    await asOwner.team.setCap({ userId: member.id, monthlyCredits: 2.5 });
    await asOwner.team.addMember({ email: outsider.email, monthlyCredits: 1 });
    let d = await asAdmin.adminTeams.team({ teamId });
    expect(d.members.find((m) => m.userId === member.id)?.capUnits).toBe(10);
    expect(d.members.find((m) => m.userId === outsider.id)).toMatchObject({ role: 'member', capUnits: 4 });

    await asOwner.team.removeMember({ userId: outsider.id });
    d = await asAdmin.adminTeams.team({ teamId });
    expect(d.members.some((m) => m.userId === outsider.id)).toBe(false);
    // Each change is on record with the owner as its actor.
    const byOwner = (await listAudit(t.db, { limit: 1000 })).filter((a) => a.actorId === owner.id);
    expect(byOwner.length).toBeGreaterThanOrEqual(3);
    await asAdmin.adminTeams.setSettings({ teamId, ownersManageMembers: false });
  });

  it("shows a member their own use only, and the owner every member's", async () => {
    const mine = await asMember.team.mine();
    expect(mine).not.toBeNull();
    expect(mine!.owner).toBeNull();
    expect(mine!.me).toMatchObject({
      role: 'member',
      capUnits: 10,
      capUsedUnits: 8,
      capLeftUnits: 2,
      availableUnits: 2,
    });
    const text = JSON.stringify(mine);
    expect(text).not.toContain(other.email);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(owner.email);

    const owners = await asOwner.team.mine();
    expect(owners!.owner!.members.find((m) => m.userId === other.id)?.usedUnits).toBe(4);
    expect(owners!.owner!.members.find((m) => m.userId === member.id)?.usedUnits).toBe(8);
    expect(owners!.owner!.balance.totalUnits).toBe(28);

    expect(await asOutsider.team.mine()).toBeNull();
    expect(await codeOf(anonymous.team.mine())).toBe('UNAUTHORIZED');
  });

  it('puts the team part in the dashboard balance and says when a member nears their cap', async () => {
    const s = await asMember.dashboard.summary();
    expect(s.team).toEqual({ name: 'Studio', availableUnits: 2, capLeftUnits: 2 });
    // 8 of 10 units: 80 % of the cap.
    const notices = await asMember.team.notices();
    expect(notices.map((n) => n.kind)).toContain('cap');
    expect(notices.find((n) => n.kind === 'cap')!.sentence).toContain('2 of your 2.5 team credits');
    expect(await asOther.team.notices()).toEqual([]);
  });

  it('warns the team from 80 % of what it had this month: owners with its numbers, members with the share', async () => {
    // 12 of 40 units spent so far; 20 more by "other" (no cap) make 32 of 40.
    const r = await reserve(t.db, { userId: other.id, units: 20, key: 'api:big' });
    if (!r.ok) throw new Error(`reserve failed: ${JSON.stringify(r)}`);
    await capture(t.db, { holdId: r.hold.id, units: 20 });
    const owners = await asOwner.team.notices();
    expect(owners).toEqual([
      {
        kind: 'team',
        tone: 'warning',
        sentence:
          'Studio has used 8 of its 10 credits for this period (80 %). Ask an administrator for more credits before it runs out.',
      },
    ]);
    const others = await asOther.team.notices();
    expect(others.map((n) => n.kind)).toEqual(['team']);
    expect(others[0]!.sentence).not.toContain('8 of its');
  });
});
