/**
 * A team owner's changes (the actions with `asOwner`) on both databases: never an owner's cap,
 * their own or another owner's (an administrator's to set); the owner's right is decided inside the
 * change's transaction, so a right that held a moment earlier — and then an administrator switched
 * the team's setting off or took the owner out — no longer lets the change through. On PostgreSQL
 * the admin's change also races the owner's for real: it is made to commit while the owner's
 * transaction waits on a row lock (the spot where a check made before the transaction would
 * already have said yes), and in 20 free-running rounds the audit shows no owner addition that
 * commits after the setting went off.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, actorIdOf } from '../src/actions/actor';
import { addTeamMemberAction } from '../src/actions/team/add-team-member';
import { createTeamAction } from '../src/actions/team/create-team';
import { removeTeamMemberAction } from '../src/actions/team/remove-team-member';
import { setMemberCapAction } from '../src/actions/team/set-member-cap';
import { setTeamSettingsAction } from '../src/actions/team/set-team-settings';
import type { Db } from '../src/client';
import { listAudit } from '../src/queries/audit';
import { canManageMembers, getMembership } from '../src/queries/teams';
import { createUser } from '../src/queries/users';
import { DB_KINDS, type TestDb, type TestDbKind, withTestDb } from './support';

const OFF_SENTENCE =
  "An administrator has not allowed this team's owners to change members or caps. Please ask an administrator.";

type Person = { id: string; email: string };
type MemberRef = Parameters<typeof addTeamMemberAction>[1]['user'];
const ownerActor = (id: string): Actor => ({ via: 'web', actorId: id });

/** A team "Studio" with two owners and a member, made by an admin, on a fresh database of `kind`. */
function studio(kind: TestDbKind) {
  const s = {} as {
    t: TestDb;
    db: Db;
    admin: Actor;
    teamId: string;
    owner: Person;
    secondOwner: Person;
    member: Person;
    someone(): Promise<Person>;
    setAllowed(ownersManageMembers: boolean): Promise<unknown>;
    auditCount(): Promise<number>;
    /** The changes `who` makes as a team owner (`asOwner`) on the studio's team. */
    byOwner(who: Person): {
      add(user: MemberRef): Promise<unknown>;
      cap(user: MemberRef, monthlyCapUnits: number): Promise<unknown>;
      remove(user: MemberRef): Promise<unknown>;
    };
  };
  s.t = withTestDb(kind);
  beforeAll(async () => {
    s.db = s.t.db;
    s.someone = () => createUser(s.db, { email: `p-${randomUUID().slice(0, 8)}@example.com` });
    s.setAllowed = (ownersManageMembers) =>
      setTeamSettingsAction(s.db, { actor: s.admin, team: { id: s.teamId }, ownersManageMembers });
    s.auditCount = async () => (await listAudit(s.db, { limit: 10_000 })).length;
    s.byOwner = (who) => {
      const as = { actor: ownerActor(who.id), asOwner: who.id, team: { id: s.teamId } };
      return {
        add: (user) => addTeamMemberAction(s.db, { ...as, user }),
        cap: (user, monthlyCapUnits) => setMemberCapAction(s.db, { ...as, user, monthlyCapUnits }),
        remove: (user) => removeTeamMemberAction(s.db, { ...as, user }),
      };
    };
    const boss = await createUser(s.db, { email: 'boss@example.com', role: 'admin' });
    s.admin = { via: 'web', actorId: boss.id };
    s.teamId = (await createTeamAction(s.db, { actor: s.admin, name: 'Studio' })).id;
    s.owner = await s.someone();
    s.secondOwner = await s.someone();
    s.member = await s.someone();
    for (const [p, role] of [
      [s.owner, 'owner'],
      [s.secondOwner, 'owner'],
      [s.member, 'member'],
    ] as const)
      await addTeamMemberAction(s.db, { actor: s.admin, team: { id: s.teamId }, user: { id: p.id }, role });
  });
  return s;
}

describe.each(DB_KINDS)('team owner changes on %s', (kind) => {
  const s = studio(kind);

  it('refuses what the owner may not do, before saying anything about the person, and changes nothing', async () => {
    const { db, teamId, owner, secondOwner, member, someone, setAllowed, auditCount, byOwner } = s;
    await setAllowed(true);
    const outsider = await someone();
    const adminCap = (who: Person, monthlyCapUnits: number) =>
      setMemberCapAction(db, { actor: s.admin, team: { id: teamId }, user: { id: who.id }, monthlyCapUnits });
    const before = await auditCount();
    // Not an owner (a member; someone in no team): refused before the address is even looked at.
    await expect(byOwner(member).add({ email: 'nobody@example.com' })).rejects.toMatchObject({
      code: 'not_team_owner',
      message: "Only the team's owners can change its members.",
    });
    await expect(byOwner(outsider).cap({ id: member.id }, 0)).rejects.toMatchObject({
      code: 'not_in_team',
      message: 'You are not in a team.',
    });
    // Someone outside the team, or no one at all, is not the owner's to change.
    for (const id of [outsider.id, randomUUID()])
      await expect(byOwner(owner).cap({ id }, 4)).rejects.toMatchObject({
        code: 'not_in_your_team',
        message: 'That person is not in your team.',
      });
    // Another owner (or themselves) is the admins' to remove.
    for (const target of [secondOwner, owner])
      await expect(byOwner(owner).remove({ id: target.id })).rejects.toMatchObject({
        code: 'owner_only_admin',
        message: 'Only an administrator can remove an owner from the team.',
      });
    // An owner's cap bounds what they draw from the team: an administrator's to set, never an
    // owner's — not their own, and not another owner's (two owners would lift each other's).
    await adminCap(owner, 12);
    await adminCap(secondOwner, 6);
    for (const [who, target] of [
      [owner, owner],
      [owner, secondOwner],
      [secondOwner, owner],
    ] as const)
      for (const units of [400, 0])
        await expect(byOwner(who).cap({ id: target.id }, units)).rejects.toMatchObject({
          code: 'owner_cap_admin_only',
          message: "Only an administrator can change an owner's monthly cap.",
        });
    expect(await getMembership(db, owner.id)).toMatchObject({ role: 'owner', monthlyCapUnits: 12 });
    expect(await getMembership(db, secondOwner.id)).toMatchObject({ role: 'owner', monthlyCapUnits: 6 });
    expect(await auditCount()).toBe(before + 2);
    // An administrator still sets them.
    await adminCap(owner, 16);
    await adminCap(secondOwner, 9);
    expect((await getMembership(db, owner.id))?.monthlyCapUnits).toBe(16);
    expect((await getMembership(db, secondOwner.id))?.monthlyCapUnits).toBe(9);
    expect((await listAudit(db, { action: 'team.member.cap', targetUserId: owner.id }))[0]).toMatchObject({
      actorId: actorIdOf(s.admin),
      details: { monthlyCapUnits: 16, was: 12 },
    });
    expect(await auditCount()).toBe(before + 4);
    expect((await getMembership(db, secondOwner.id))?.role).toBe('owner');
    expect(await getMembership(db, outsider.id)).toBeNull();

    // Allowed, the same owner adds, caps and removes a member.
    await byOwner(owner).add({ email: outsider.email });
    await byOwner(owner).cap({ id: outsider.id }, 8);
    expect(await getMembership(db, outsider.id)).toMatchObject({ teamId, role: 'member', monthlyCapUnits: 8 });
    await byOwner(owner).remove({ id: outsider.id });
    expect(await getMembership(db, outsider.id)).toBeNull();
    expect(await auditCount()).toBe(before + 7);
  });

  it('decides with the setting as it is when the change is made, not as it was when the owner asked', async () => {
    const { db, admin, teamId, owner, member, someone, setAllowed, auditCount, byOwner } = s;
    await setAllowed(true);
    const newcomer = await someone();
    // What a check before the change sees: allowed. Then the admin switches it off.
    expect(await canManageMembers(db, owner.id, teamId)).toBe(true);
    await setAllowed(false);
    const before = await auditCount();
    const add = byOwner(owner).add({ email: newcomer.email });
    await expect(add).rejects.toMatchObject({ code: 'owners_may_not_manage', message: OFF_SENTENCE });
    await expect(byOwner(owner).cap({ id: member.id }, 1)).rejects.toMatchObject({ code: 'owners_may_not_manage' });
    await expect(byOwner(owner).remove({ id: member.id })).rejects.toMatchObject({ code: 'owners_may_not_manage' });
    expect(await getMembership(db, newcomer.id)).toBeNull();
    expect(await getMembership(db, member.id)).toMatchObject({ teamId, monthlyCapUnits: null });
    expect(await auditCount()).toBe(before);

    // An owner the admin took out (setting on again) is no longer anyone's owner.
    await setAllowed(true);
    const gone = await someone();
    await addTeamMemberAction(db, { actor: admin, team: { id: teamId }, user: { id: gone.id }, role: 'owner' });
    expect(await canManageMembers(db, gone.id, teamId)).toBe(true);
    await removeTeamMemberAction(db, { actor: admin, team: { id: teamId }, user: { id: gone.id } });
    await expect(byOwner(gone).cap({ id: member.id }, 1)).rejects.toMatchObject({ code: 'not_in_team' });
  });
});

describe('team owner changes racing an admin on PostgreSQL', () => {
  const s = studio('postgres');
  let other: postgres.Sql;
  beforeAll(() => {
    other = postgres(s.t.url!, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => other?.end({ timeout: 5 }));

  /** How many sessions of this database wait on a lock now. */
  async function waitingOnLocks(): Promise<number> {
    const [row] = await other<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`;
    return row!.n;
  }

  /** Polls (every 20 ms, at most 10 s) until `done` says so. */
  async function until(done: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`never: ${what}`);
  }

  const someoneWaitsOnALock = () => until(async () => (await waitingOnLocks()) > 0, 'a session waits on a lock');

  it('an owner whose change waits on a lock while the admin switches the setting off is refused (5 rounds)', async () => {
    const { db, owner, someone, setAllowed, byOwner } = s;
    for (let round = 0; round < 5; round++) {
      await setAllowed(true);
      const newcomer = await someone();
      let ownerAdd: Promise<unknown> = Promise.resolve();
      // Another transaction holds the newcomer's row: the owner's change starts (and a check made
      // before its transaction would already have passed), then waits on that lock.
      await other.begin(async (sql) => {
        await sql`select id from users where id = ${newcomer.id} for update`;
        ownerAdd = byOwner(owner).add({ email: newcomer.email });
        ownerAdd.catch(() => {});
        await someoneWaitsOnALock();
        // Meanwhile the admin switches the setting off, and that commits.
        await setAllowed(false);
      });
      await expect(ownerAdd).rejects.toMatchObject({ code: 'owners_may_not_manage', message: OFF_SENTENCE });
      expect(await getMembership(db, newcomer.id), `round ${round}`).toBeNull();
    }
  });

  it("makes the admin's switch wait for an owner's change that already passed its check (5 rounds)", async () => {
    const { db, teamId, owner, someone, setAllowed, byOwner } = s;
    for (let round = 0; round < 5; round++) {
      await setAllowed(true);
      const newcomer = await someone();
      let ownerAdd: Promise<unknown> = Promise.resolve();
      let off: Promise<unknown> = Promise.resolve();
      let offCommitted = false;
      let offCommittedWhileOwnerInFlight = false;
      // Another transaction keeps team_members from being written: the owner's change passes its
      // check and then waits to insert the row. The admin switches the setting off meanwhile.
      await other.begin(async (sql) => {
        await sql`lock table team_members in share mode`;
        ownerAdd = byOwner(owner).add({ email: newcomer.email });
        ownerAdd.catch(() => {});
        await someoneWaitsOnALock();
        off = setAllowed(false).then(() => {
          offCommitted = true;
        });
        off.catch(() => {});
        // Either the switch waits for the owner's change (two sessions wait), or it went through.
        await until(async () => offCommitted || (await waitingOnLocks()) >= 2, 'the switch waits or commits');
        offCommittedWhileOwnerInFlight = offCommitted;
      });
      await Promise.all([ownerAdd, off]);
      expect(offCommittedWhileOwnerInFlight, `round ${round}`).toBe(false);
      // The addition came first, whole; the setting's change was written after it.
      const [added] = await listAudit(db, { action: 'team.member.add', targetUserId: newcomer.id });
      const [switched] = await listAudit(db, { action: 'team.settings', limit: 1 });
      expect(added!.id).toBeLessThan(switched!.id);
      expect(await getMembership(db, newcomer.id)).toMatchObject({ teamId, role: 'member' });
    }
  });

  it('never lets an owner add someone after the setting went off, in 20 free races', async () => {
    const { db, owner, someone, setAllowed, byOwner } = s;
    let added = 0;
    let refused = 0;
    for (let round = 0; round < 20; round++) {
      await setAllowed(true);
      const newcomer = await someone();
      const ownerAdd = () => byOwner(owner).add({ email: newcomer.email });
      const off = () => setAllowed(false);
      const [a, b] =
        round % 2 === 0 ? await Promise.allSettled([ownerAdd(), off()]) : await Promise.allSettled([off(), ownerAdd()]);
      const [addResult, offResult] = round % 2 === 0 ? [a, b] : [b, a];
      expect(offResult.status, `round ${round}`).toBe('fulfilled');
      const addAudit = await listAudit(db, { action: 'team.member.add', targetUserId: newcomer.id });
      const [offAudit] = await listAudit(db, { action: 'team.settings', limit: 1 });
      if (addResult.status === 'fulfilled') {
        added++;
        // The addition committed first: the setting's change (which waits for it) was written after.
        expect(addAudit).toHaveLength(1);
        expect(addAudit[0]!.id, `round ${round}`).toBeLessThan(offAudit!.id);
      } else {
        refused++;
        expect(addResult.reason, `round ${round}`).toMatchObject({ code: 'owners_may_not_manage' });
        expect(addAudit).toEqual([]);
        expect(await getMembership(db, newcomer.id)).toBeNull();
      }
    }
    expect(added + refused).toBe(20);
  });
});
