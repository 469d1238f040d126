/** A hold open across a subscription renewal gives its units to the current period, by the carry rules. */
import { describe, expect, it } from 'vitest';
import {
  balance,
  cancelSubscription,
  capture,
  grant,
  history,
  processDue,
  release,
  reserve,
  startSubscription,
} from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

let seq = 0;

describe.each(DB_KINDS)('holds across a renewal on %s', (kind) => {
  const ctx = withTestDb(kind, { reconcile: true });

  const start = new Date('2027-01-10T00:00:00Z');
  const beforeRenewal = new Date('2027-02-09T23:59:00Z');
  const afterRenewal = new Date('2027-02-10T00:01:00Z');
  const newUser = async () => (await createUser(ctx.db, { email: `renewal${++seq}-${kind}@example.com` })).id;

  it('a release after the renewal rolls the units over instead of expiring them', async () => {
    const userId = await newUser();
    await startSubscription(ctx.db, { userId, monthlyUnits: 40, now: start });
    const held = await reserve(ctx.db, { userId, units: 4, key: 'across', now: beforeRenewal });
    if (!held.ok) throw new Error('unreachable');
    // The renewal carries the 36 free units; the 4 held ones are not there to carry.
    expect((await balance(ctx.db, { userId, now: afterRenewal })).totalUnits).toBe(40 + 36);
    await release(ctx.db, { holdId: held.hold.id, now: afterRenewal });
    const b = await balance(ctx.db, { userId, now: afterRenewal });
    expect(b).toMatchObject({ totalUnits: 80, subscriptionUnits: 40, rolloverUnits: 40, heldUnits: 0 });
    // They stay after processDue (which would expire units left on the closed period's lot).
    await processDue(ctx.db, { now: new Date('2027-02-11T00:00:00Z') });
    expect((await balance(ctx.db, { userId, now: new Date('2027-02-11T00:00:00Z') })).totalUnits).toBe(80);
    expect(
      (await history(ctx.db, { userId }))
        .filter((e) => e.type === 'carry')
        .map((e) => e.units)
        .sort(),
    ).toEqual([-36, -4].sort());
  });

  it('the uncharged rest of a capture after the renewal rolls over too', async () => {
    const userId = await newUser();
    await startSubscription(ctx.db, { userId, monthlyUnits: 4, now: start });
    await grant(ctx.db, { userId, units: 100, kind: 'promo', now: start });
    // Draw-down takes the 4 subscription units first, then promo.
    const held = await reserve(ctx.db, { userId, units: 8, key: 'auto', now: beforeRenewal });
    if (!held.ok) throw new Error('unreachable');
    await capture(ctx.db, { holdId: held.hold.id, units: 1, now: afterRenewal });
    // 3 subscription units come back into this period's rollover; the 4 promo units to their lot.
    expect(await balance(ctx.db, { userId, now: afterRenewal })).toMatchObject({
      subscriptionUnits: 4,
      rolloverUnits: 3,
      promoUnits: 96 + 4,
    });
  });

  it('past the rollover cap (5 × the plan) the returned units expire', async () => {
    const userId = await newUser();
    await startSubscription(ctx.db, { userId, monthlyUnits: 4, now: start });
    // Five renewals later the rollover is at its cap: 20 + the new 4.
    const julyEve = new Date('2027-07-09T23:59:00Z');
    const july = new Date('2027-07-10T00:01:00Z');
    expect(await balance(ctx.db, { userId, now: julyEve })).toMatchObject({ rolloverUnits: 20, subscriptionUnits: 4 });
    const held = await reserve(ctx.db, { userId, units: 24, key: 'all', now: julyEve });
    if (!held.ok) throw new Error('unreachable');
    await release(ctx.db, { holdId: held.hold.id, now: july });
    // 20 carry (the cap), 4 expire; the new period's 4 are added.
    expect(await balance(ctx.db, { userId, now: july })).toMatchObject({
      rolloverUnits: 20,
      subscriptionUnits: 4,
      totalUnits: 24,
    });
    expect(
      (await history(ctx.db, { userId })).filter((e) => e.type === 'expire').reduce((s, e) => s + e.units, 0),
    ).toBe(-4);
  });

  it('a release after a cancelled subscription ended lets the units expire', async () => {
    const userId = await newUser();
    await startSubscription(ctx.db, { userId, monthlyUnits: 40, now: start });
    await cancelSubscription(ctx.db, { userId, now: start });
    const held = await reserve(ctx.db, { userId, units: 4, key: 'ended', now: beforeRenewal });
    if (!held.ok) throw new Error('unreachable');
    await release(ctx.db, { holdId: held.hold.id, now: afterRenewal });
    expect((await balance(ctx.db, { userId, now: afterRenewal })).totalUnits).toBe(0);
    expect((await history(ctx.db, { userId })).some((e) => e.type === 'expire' && e.units === -4)).toBe(true);
  });
});
