/**
 * Teams in the ledger, on both databases: a member's charge draws the team's lots first within
 * their monthly cap, then their own, as one hold; two members charging one small pool at once never
 * overdraw it and caps hold; caps count per calendar month (UTC), released holds count nothing and
 * a changed cap applies at once; leaving a team keeps one's own credits and lets open holds finish
 * where they were taken; team plans renew like a person's; reconcile stays clean throughout.
 */
import { describe, expect, it } from 'vitest';
import { type ChargeError, withCharge } from '../src/queries/charge';
import {
  balance,
  capture,
  getHold,
  grant,
  history,
  processDue,
  reconcile,
  release,
  reserve,
  startSubscription,
} from '../src/queries/ledger';
import {
  addTeamMember,
  createTeam,
  getTeamBalance,
  getTeamForUser,
  removeTeamMember,
  setMemberCap,
  teamUsageByMember,
} from '../src/queries/teams';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

let seq = 0;
const at = (s: string) => new Date(s);

describe.each(DB_KINDS)('teams in the ledger on %s', (kind) => {
  const ctx = withTestDb(kind, { reconcile: true });

  const now = at('2027-03-10T12:00:00Z');
  const newUser = async (ownUnits = 0) => {
    const id = (await createUser(ctx.db, { email: `team${++seq}-${kind}@example.com` })).id;
    if (ownUnits > 0) await grant(ctx.db, { userId: id, units: ownUnits, kind: 'payg', now });
    return id;
  };
  const newTeam = async (poolUnits: number) => {
    const team = await createTeam(ctx.db, { name: `Team ${++seq} ${kind}` });
    if (poolUnits > 0) await grant(ctx.db, { teamId: team.id, units: poolUnits, kind: 'promo', now });
    return team.id;
  };
  const join = (teamId: string, userId: string, cap: number | null = null) =>
    addTeamMember(ctx.db, { teamId, userId, monthlyCapUnits: cap, now });
  const teamLeft = async (teamId: string, when = now) =>
    (await getTeamBalance(ctx.db, { teamId, now: when })).totalUnits;

  it('two members charging a small pool at once: no overdraft, the capped one stays within the cap', async () => {
    const teamId = await newTeam(10);
    const a = await newUser();
    const b = await newUser();
    await join(teamId, a);
    await join(teamId, b, 4);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const userId = i % 2 === 0 ? a : b;
        return reserve(ctx.db, { userId, units: 1, key: `race-${i}`, now }).then((r) => ({ userId, r }));
      }),
    );
    const ok = results.filter((x) => x.r.ok);
    expect(ok).toHaveLength(10);
    const byB = ok.filter((x) => x.userId === b).length;
    expect(byB).toBeLessThanOrEqual(4);
    // A had 8 tries: B got the other 2 at least.
    expect(byB).toBeGreaterThanOrEqual(2);
    // A (no cap) is refused because the pool ran out; B because of the cap or the pool, whichever came first.
    for (const x of results) if (!x.r.ok) expect(x.r.shortOf).toMatch(x.userId === b ? /^(cap|team)$/ : /^team$/);
    const holds = await Promise.all(ok.map((x) => (x.r.ok ? getHold(ctx.db, x.r.hold.id) : null)));
    expect(holds.reduce((s, h) => s + h!.teamUnits, 0)).toBe(10);
    expect(holds.every((h) => h!.teamId === teamId)).toBe(true);
    expect(await teamLeft(teamId)).toBe(0);
    expect((await getTeamBalance(ctx.db, { teamId, now })).heldUnits).toBe(10);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('withCharge in parallel by two members with own credits: the pool and caps hold, the rest comes from their own', async () => {
    const teamId = await newTeam(8);
    const a = await newUser(4);
    const b = await newUser(4);
    await join(teamId, a, 3);
    await join(teamId, b);
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        withCharge(ctx.db, { userId: i % 2 === 0 ? a : b, units: 1, kind: 'api', now }, async () => ({ value: i })),
      ),
    );
    const done = results.filter((r) => r.status === 'fulfilled').length;
    // Everything they could spend together: 8 in the pool + 4 + 4 own = 16 charges of 1 (A at most 3 + 4).
    expect(done).toBe(16);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ChargeError).code).toBe('insufficient');
    expect(await teamLeft(teamId)).toBe(0);
    expect((await balance(ctx.db, { userId: a, now })).totalUnits).toBe(0);
    expect((await balance(ctx.db, { userId: b, now })).totalUnits).toBe(0);
    const aShare = await getTeamForUser(ctx.db, a, now);
    expect(aShare).toMatchObject({ capUnits: 3, availableUnits: 0 });
    expect(aShare!.capUsedUnits).toBeLessThanOrEqual(3);
    expect(aShare!.capLeftUnits).toBe(3 - aShare!.capUsedUnits);
    const bShare = await getTeamForUser(ctx.db, b, now);
    expect(bShare).toMatchObject({ capUnits: null, capLeftUnits: null, availableUnits: 0 });
    expect(aShare!.capUsedUnits + bShare!.capUsedUnits).toBe(8);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('charges, settlements, team grants and processDue at once: no deadlock, nothing lost, reconcile clean', async () => {
    const teamId = await newTeam(12);
    const members = [await newUser(2), await newUser(2), await newUser(0)];
    for (const [i, m] of members.entries()) await join(teamId, m, i === 0 ? 5 : null);
    const charge = async (userId: string, i: number) => {
      const r = await reserve(ctx.db, { userId, units: 1 + (i % 3), key: `mix-${i}`, now });
      if (!r.ok) return 0;
      if (i % 4 === 0) await release(ctx.db, { holdId: r.hold.id, now });
      else await capture(ctx.db, { holdId: r.hold.id, units: i % 5 === 0 ? 1 : undefined, now });
      return 1;
    };
    const settled = await Promise.allSettled([
      ...Array.from({ length: 18 }, (_, i) => charge(members[i % 3]!, i)),
      grant(ctx.db, { teamId, units: 6, kind: 'payg', now }),
      grant(ctx.db, { teamId, units: 2, kind: 'promo', now }),
      processDue(ctx.db, { now }),
      removeTeamMember(ctx.db, { teamId, userId: members[2]!, now }),
    ]);
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const team = await getTeamBalance(ctx.db, { teamId, now });
    expect(team.heldUnits).toBe(0);
    expect(team.totalUnits).toBeGreaterThanOrEqual(0);
    const first = await getTeamForUser(ctx.db, members[0]!, now);
    expect(first!.capUsedUnits).toBeLessThanOrEqual(5);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('one hold split across team and own lots; a partial capture charges the team part first', async () => {
    const teamId = await newTeam(10);
    const m = await newUser(3);
    await join(teamId, m, 4);
    expect(await balance(ctx.db, { userId: m, now })).toMatchObject({
      totalUnits: 7,
      ownUnits: 3,
      team: { teamId, capUnits: 4, capUsedUnits: 0, capLeftUnits: 4, poolUnits: 10, availableUnits: 4 },
    });
    const r = await reserve(ctx.db, { userId: m, units: 6, key: 'split', now });
    if (!r.ok) throw new Error('expected a hold');
    expect(r.hold).toMatchObject({ units: 6, teamUnits: 4, teamId });
    expect(await balance(ctx.db, { userId: m, now })).toMatchObject({ totalUnits: 1, ownUnits: 1, heldUnits: 6 });
    await capture(ctx.db, { holdId: r.hold.id, units: 5, now });
    expect(await teamLeft(teamId)).toBe(6);
    expect((await balance(ctx.db, { userId: m, now })).ownUnits).toBe(2);
    const teamCharges = (await history(ctx.db, { teamId })).filter((e) => e.type === 'charge');
    const ownCharges = (await history(ctx.db, { userId: m })).filter((e) => e.type === 'charge');
    expect(teamCharges.reduce((s, e) => s + e.units, 0)).toBe(-4);
    expect(ownCharges.reduce((s, e) => s + e.units, 0)).toBe(-1);
    // The cap is used up: a new charge needs 3 more than own credits hold and says the cap ran out.
    expect(await reserve(ctx.db, { userId: m, units: 3, key: 'after', now })).toEqual({
      ok: false,
      reason: 'insufficient',
      available: 2,
      shortOf: 'cap',
    });
    expect(await teamUsageByMember(ctx.db, teamId, at('2027-03-01T00:00:00Z'), at('2027-04-01T00:00:00Z'))).toEqual([
      expect.objectContaining({ userId: m, day: '2027-03-10', units: 4, credits: 1 }),
    ]);
  });

  it('caps count per calendar month (UTC); released holds count nothing; a changed cap applies at once', async () => {
    const team = await createTeam(ctx.db, { name: `Month team ${kind}` });
    const teamId = team.id;
    await grant(ctx.db, { teamId, units: 40, kind: 'promo', now: at('2027-01-01T00:00:00Z') });
    const m = await newUser();
    await join(teamId, m, 4);
    const endOfJan = at('2027-01-31T23:59:59Z');
    const r1 = await reserve(ctx.db, { userId: m, units: 4, key: 'jan', now: endOfJan });
    expect(r1.ok).toBe(true);
    expect(await reserve(ctx.db, { userId: m, units: 1, key: 'jan-2', now: endOfJan })).toMatchObject({
      ok: false,
      shortOf: 'cap',
    });
    if (r1.ok) await capture(ctx.db, { holdId: r1.hold.id, now: endOfJan });
    const feb = at('2027-02-01T00:00:00Z');
    expect((await getTeamForUser(ctx.db, m, feb))?.capLeftUnits).toBe(4);
    const r2 = await reserve(ctx.db, { userId: m, units: 4, key: 'feb', now: feb });
    if (!r2.ok) throw new Error('expected a hold');
    expect((await getTeamForUser(ctx.db, m, feb))?.capLeftUnits).toBe(0);
    await release(ctx.db, { holdId: r2.hold.id, now: feb });
    expect((await getTeamForUser(ctx.db, m, feb))?.capLeftUnits).toBe(4);
    // Raised mid-month: the new room is there at once; lowered below what was used: nothing left.
    const r3 = await reserve(ctx.db, { userId: m, units: 3, key: 'feb-3', now: feb });
    expect(r3.ok).toBe(true);
    await setMemberCap(ctx.db, { teamId, userId: m, monthlyCapUnits: 10, now: feb });
    expect(await getTeamForUser(ctx.db, m, feb)).toMatchObject({ capUsedUnits: 3, capLeftUnits: 7, availableUnits: 7 });
    await setMemberCap(ctx.db, { teamId, userId: m, monthlyCapUnits: 2, now: feb });
    expect(await getTeamForUser(ctx.db, m, feb)).toMatchObject({ capLeftUnits: 0, availableUnits: 0 });
    expect(await reserve(ctx.db, { userId: m, units: 1, key: 'feb-4', now: feb })).toMatchObject({
      ok: false,
      shortOf: 'cap',
    });
    await setMemberCap(ctx.db, { teamId, userId: m, monthlyCapUnits: null, now: feb });
    expect((await balance(ctx.db, { userId: m, now: feb })).totalUnits).toBe(40 - 4 - 3);
    if (r3.ok) await capture(ctx.db, { holdId: r3.hold.id, now: feb });
  });

  it('leaving a team: own credits stay; holds taken on the team finish there; new charges use own credits only', async () => {
    const teamId = await newTeam(10);
    const m = await newUser(5);
    await join(teamId, m);
    const held = await reserve(ctx.db, { userId: m, units: 12, key: 'before-leaving', now });
    const held2 = await reserve(ctx.db, { userId: m, units: 2, key: 'before-leaving-2', now });
    if (!held.ok || !held2.ok) throw new Error('expected holds');
    expect(held.hold.teamUnits).toBe(10);
    expect(held2.hold.teamUnits).toBe(0);
    expect(held2.hold.teamId).toBeNull();
    await removeTeamMember(ctx.db, { teamId, userId: m, now });
    expect(await balance(ctx.db, { userId: m, now })).toMatchObject({ team: null, totalUnits: 1, ownUnits: 1 });
    expect(await getTeamForUser(ctx.db, m, now)).toBeNull();
    // Released after leaving: the team gets its 10 back, the person their 2.
    await release(ctx.db, { holdId: held.hold.id, now });
    expect(await teamLeft(teamId)).toBe(10);
    expect((await balance(ctx.db, { userId: m, now })).totalUnits).toBe(3);
    await capture(ctx.db, { holdId: held2.hold.id, now });
    // Not a member any more: only their own 3 units are open to them.
    expect(await reserve(ctx.db, { userId: m, units: 4, key: 'after-leaving', now })).toEqual({
      ok: false,
      reason: 'insufficient',
      available: 3,
      shortOf: 'own',
    });
    expect(await teamLeft(teamId)).toBe(10);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('a team plan renews like a person’s, and a member draws the team’s subscription credits first', async () => {
    const team = await createTeam(ctx.db, { name: `Plan team ${kind}` });
    await startSubscription(ctx.db, { teamId: team.id, monthlyUnits: 8, now });
    await grant(ctx.db, { teamId: team.id, units: 4, kind: 'payg', now });
    const m = await newUser();
    await join(team.id, m);
    const r = await reserve(ctx.db, { userId: m, units: 3, key: 'plan', now });
    if (!r.ok) throw new Error('expected a hold');
    await capture(ctx.db, { holdId: r.hold.id, now });
    expect(await getTeamBalance(ctx.db, { teamId: team.id, now })).toMatchObject({
      totalUnits: 9,
      subscriptionUnits: 5,
      paygUnits: 4,
      team: null,
    });
    const nextMonth = at('2027-04-10T12:00:00Z');
    expect(await getTeamBalance(ctx.db, { teamId: team.id, now: nextMonth })).toMatchObject({
      subscriptionUnits: 8,
      rolloverUnits: 5,
      paygUnits: 4,
    });
    const due = await processDue(ctx.db, { now: nextMonth });
    expect(due.renewals).toBeGreaterThanOrEqual(1);
    expect((await getTeamBalance(ctx.db, { teamId: team.id, now: nextMonth })).totalUnits).toBe(17);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('a member’s hold open across the team’s renewal: released units carry into the team’s new period', async () => {
    const team = await createTeam(ctx.db, { name: `Renewal team ${kind}` });
    await startSubscription(ctx.db, { teamId: team.id, monthlyUnits: 8, now });
    const m = await newUser(4);
    await join(team.id, m);
    const r = await reserve(ctx.db, { userId: m, units: 10, key: 'across', now: at('2027-04-10T11:00:00Z') });
    if (!r.ok) throw new Error('expected a hold');
    expect(r.hold.teamUnits).toBe(8);
    const after = at('2027-04-10T13:00:00Z');
    await release(ctx.db, { holdId: r.hold.id, now: after });
    // The team's 8 went back as carry (rollover) beside the renewed budget; the person's 2 back to their lot.
    expect(await getTeamBalance(ctx.db, { teamId: team.id, now: after })).toMatchObject({
      subscriptionUnits: 8,
      rolloverUnits: 8,
      totalUnits: 16,
    });
    expect((await balance(ctx.db, { userId: m, now: after })).ownUnits).toBe(4);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });
});
