import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { Account } from '@bgr/credits';
import { createUser } from '../src/queries/users';
import {
  balance,
  cancelSubscription,
  capture,
  changePlan,
  debit,
  getHold,
  grant,
  history,
  processDue,
  reconcile,
  release,
  reserve,
  startSubscription,
} from '../src/queries/ledger';
import { lots } from '../src/schema';
import { DB_KINDS, withTestDb } from './support';

const at = (s: string) => new Date(s);
let seq = 0;

describe.each(DB_KINDS)('ledger on %s', (kind) => {
  // Every test leaves the ledger consistent.
  const ctx = withTestDb(kind, { reconcile: true });

  const newUser = async () => (await createUser(ctx.db, { email: `u${++seq}-${kind}@example.com` })).id;
  const lotRemaining = async (userId: string) =>
    Object.fromEntries(
      (await ctx.db.select().from(lots).where(sql`${lots.userId} = ${userId}`)).map((l) => [l.id, l.remaining]),
    );

  it('40 parallel reserves of 4 units against 40 units succeed exactly 10 times', async () => {
    const userId = await newUser();
    const now = at('2027-01-01T00:00:00Z');
    await grant(ctx.db, { userId, units: 40, kind: 'payg', now });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reserve(ctx.db, { userId, units: 4, key: `parallel-${i}`, now })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'insufficient' && r.available === 0)).toBe(
      true,
    );
    expect(await balance(ctx.db, { userId, now })).toMatchObject({ totalUnits: 0, heldUnits: 40 });
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('a replayed idempotency key returns the same hold and charges once', async () => {
    const userId = await newUser();
    const now = at('2027-01-01T00:00:00Z');
    await grant(ctx.db, { userId, units: 10, kind: 'promo', now });
    const first = await reserve(ctx.db, { userId, units: 4, key: 'req-1', now });
    const again = await reserve(ctx.db, { userId, units: 4, key: 'req-1', now });
    expect(first.ok && again.ok && again.hold.id === first.hold.id && again.replayed).toBe(true);
    if (!first.ok) throw new Error('unreachable');
    await capture(ctx.db, { holdId: first.hold.id, now });
    await capture(ctx.db, { holdId: first.hold.id, now });
    const replay = await reserve(ctx.db, { userId, units: 4, key: 'req-1', now });
    expect(replay).toMatchObject({
      ok: true,
      replayed: true,
      hold: { id: first.hold.id, status: 'captured', capturedUnits: 4 },
    });
    expect((await balance(ctx.db, { userId, now })).totalUnits).toBe(6);
    expect((await history(ctx.db, { userId })).filter((e) => e.type === 'charge').map((e) => e.units)).toEqual([-4]);
    // The same key for another user is another hold.
    const other = await newUser();
    await grant(ctx.db, { userId: other, units: 4, kind: 'promo', now });
    const theirs = await reserve(ctx.db, { userId: other, units: 4, key: 'req-1', now });
    expect(theirs.ok && theirs.hold.id !== first.hold.id && !theirs.replayed).toBe(true);
  });

  it('a released hold restores exactly the lots it took from; partial capture returns the rest', async () => {
    const userId = await newUser();
    const now = at('2027-03-01T00:00:00Z');
    await startSubscription(ctx.db, { userId, monthlyUnits: 5, now });
    await grant(ctx.db, { userId, units: 10, kind: 'payg', now });
    await grant(ctx.db, { userId, units: 10, kind: 'promo', expiresAt: at('2027-06-01T00:00:00Z'), now });
    const before = await lotRemaining(userId);
    const held = await reserve(ctx.db, { userId, units: 18, key: 'span', now });
    if (!held.ok) throw new Error('expected a hold');
    expect(held.hold.allocations.map((a) => a.units)).toEqual([5, 10, 3]);
    await release(ctx.db, { holdId: held.hold.id, now });
    expect(await lotRemaining(userId)).toEqual(before);
    await expect(capture(ctx.db, { holdId: held.hold.id, now })).rejects.toMatchObject({ code: 'hold_released' });

    const auto = await reserve(ctx.db, { userId, units: 4, key: 'auto', now });
    if (!auto.ok) throw new Error('expected a hold');
    await expect(capture(ctx.db, { holdId: auto.hold.id, units: 5, now })).rejects.toMatchObject({
      code: 'invalid_units',
    });
    expect(await capture(ctx.db, { holdId: auto.hold.id, units: 1, now })).toMatchObject({
      status: 'captured',
      capturedUnits: 1,
    });
    await expect(release(ctx.db, { holdId: auto.hold.id, now })).rejects.toMatchObject({ code: 'hold_captured' });
    expect(await balance(ctx.db, { userId, now })).toMatchObject({
      totalUnits: 24,
      subscriptionUnits: 4,
      heldUnits: 0,
    });
  });

  it('refuses to overdraw and changes nothing when short', async () => {
    const userId = await newUser();
    const now = at('2027-01-01T00:00:00Z');
    await grant(ctx.db, { userId, units: 3, kind: 'payg', now });
    const before = await lotRemaining(userId);
    expect(await reserve(ctx.db, { userId, units: 4, key: 'too-much', now })).toEqual({
      ok: false,
      reason: 'insufficient',
      available: 3,
      shortOf: 'own',
    });
    expect(await debit(ctx.db, { userId, units: 4, now })).toEqual({ ok: false, reason: 'insufficient', available: 3 });
    expect(await lotRemaining(userId)).toEqual(before);
    await expect(reserve(ctx.db, { userId, units: 1.5, key: 'x', now })).rejects.toMatchObject({
      code: 'invalid_units',
    });
    await expect(
      grant(ctx.db, { userId, units: 4, kind: 'payg', expiresAt: at('2030-01-01T00:00:00Z'), now }),
    ).rejects.toMatchObject({ code: 'invalid_expiry' });
  });

  it('processDue releases a stale hold only after the timeout', async () => {
    const userId = await newUser();
    const now = at('2027-01-01T00:00:00Z');
    await grant(ctx.db, { userId, units: 8, kind: 'payg', now });
    const h = await reserve(ctx.db, { userId, units: 8, key: 'crashed', now });
    if (!h.ok) throw new Error('expected a hold');
    const timeout = 15 * 60_000;
    await processDue(ctx.db, { now: new Date(now.getTime() + timeout - 1), holdTimeoutMs: timeout });
    expect(await getHold(ctx.db, h.hold.id)).toMatchObject({ status: 'held' });
    expect((await balance(ctx.db, { userId, now })).totalUnits).toBe(0);
    expect(
      (await processDue(ctx.db, { now: new Date(now.getTime() + timeout), holdTimeoutMs: timeout })).releasedHolds,
    ).toBeGreaterThanOrEqual(1);
    expect(await getHold(ctx.db, h.hold.id)).toMatchObject({ status: 'released' });
    expect(await balance(ctx.db, { userId, now })).toMatchObject({ totalUnits: 8, heldUnits: 0 });
  });

  it('the ledger refuses UPDATE and DELETE', async () => {
    const userId = await newUser();
    await grant(ctx.db, { userId, units: 4, kind: 'promo', now: at('2027-01-01T00:00:00Z') });
    await expect(ctx.db.execute(sql`update ledger_entries set delta = 1000`)).rejects.toThrow();
    await expect(ctx.db.execute(sql`delete from ledger_entries`)).rejects.toThrow();
    expect((await history(ctx.db, { userId }))[0]).toMatchObject({ type: 'grant', units: 4 });
  });

  it('reconcile reports a lot whose cached balance drifts from its entries', async () => {
    const userId = await newUser();
    const lot = await grant(ctx.db, { userId, units: 4, kind: 'promo', now: at('2027-01-01T00:00:00Z') });
    await ctx.db.update(lots).set({ remaining: 3 }).where(sql`${lots.id} = ${lot.id}`);
    const report = await reconcile(ctx.db);
    expect(report.ok).toBe(false);
    expect(report.drift).toEqual([expect.objectContaining({ lotId: lot.id, cachedUnits: 3, derivedUnits: 4 })]);
    await ctx.db.update(lots).set({ remaining: 4 }).where(sql`${lots.id} = ${lot.id}`);
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('the issue scenario: 170, 600, 120, subscription first, PAYG until 2029-09-15', async () => {
    const userId = await newUser();
    const credits = async (when: string) => (await balance(ctx.db, { userId, now: at(when) })).totalUnits / 4;
    await startSubscription(ctx.db, { userId, monthlyUnits: 400, now: at('2027-01-01T00:00:00Z') });
    expect(await debit(ctx.db, { userId, units: 120, now: at('2027-01-05T00:00:00Z') })).toMatchObject({ ok: true });
    await processDue(ctx.db, { now: at('2027-02-01T00:00:00Z') });
    expect(await credits('2027-02-01T00:00:00Z')).toBe(170);
    for (const m of ['03', '04', '05', '06', '07']) await processDue(ctx.db, { now: at(`2027-${m}-01T00:00:00Z`) });
    expect(await balance(ctx.db, { userId, now: at('2027-07-01T00:00:00Z') })).toMatchObject({
      totalUnits: 2400,
      rolloverUnits: 2000,
      subscriptionUnits: 400,
    });
    await changePlan(ctx.db, { userId, monthlyUnits: 80, now: at('2027-08-10T00:00:00Z') });
    expect(await credits('2027-08-10T00:00:00Z')).toBe(120);
    await grant(ctx.db, { userId, units: 200, kind: 'payg', now: at('2027-09-15T00:00:00Z') });
    const hd = await reserve(ctx.db, { userId, units: 4, key: 'hd:1', now: at('2027-09-15T00:00:00Z') });
    if (!hd.ok) throw new Error('expected a hold');
    await capture(ctx.db, { holdId: hd.hold.id, now: at('2027-09-15T00:00:00Z') });
    expect(await balance(ctx.db, { userId, now: at('2027-09-15T00:00:00Z') })).toMatchObject({
      paygUnits: 200,
      totalUnits: 676,
    });
    await cancelSubscription(ctx.db, { userId, now: at('2027-09-15T00:00:00Z') });
    expect(await credits('2027-10-09T23:59:59Z')).toBe(169);
    await processDue(ctx.db, { now: at('2027-10-10T00:00:00Z') });
    expect(await balance(ctx.db, { userId, now: at('2027-10-10T00:00:00Z') })).toMatchObject({
      totalUnits: 200,
      paygUnits: 200,
      subscription: null,
    });
    expect(await credits('2029-09-14T23:59:59Z')).toBe(50);
    expect(await credits('2029-09-15T00:00:00Z')).toBe(0);
    await processDue(ctx.db, { now: at('2029-09-15T00:00:00Z') });
    expect((await history(ctx.db, { userId, limit: 1 }))[0]).toMatchObject({
      type: 'expire',
      units: -200,
      lotKind: 'payg',
    });
    expect((await reconcile(ctx.db)).ok).toBe(true);
  });

  it('agrees with the reference ledger of @bgr/credits on random operation sequences', async () => {
    const DAY = 86_400_000;
    const opArb = fc.oneof(
      fc.record({ t: fc.constant('grant' as const), units: fc.integer({ min: 1, max: 60 }), promo: fc.boolean() }),
      fc.record({ t: fc.constant('debit' as const), units: fc.integer({ min: 1, max: 40 }) }),
      fc.record({
        t: fc.constant('reserve' as const),
        key: fc.constantFrom('a', 'b', 'c'),
        units: fc.integer({ min: 0, max: 12 }),
      }),
      fc.record({
        t: fc.constant('capture' as const),
        key: fc.constantFrom('a', 'b', 'c'),
        units: fc.integer({ min: 0, max: 12 }),
      }),
      fc.record({ t: fc.constant('release' as const), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ t: fc.constant('subscribe' as const), monthly: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ t: fc.constant('change' as const), monthly: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ t: fc.constant('cancel' as const) }),
      fc.record({ t: fc.constant('due' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 25 * DAY }), opArb), { minLength: 1, maxLength: 14 }),
        async (ops) => {
          const userId = await newUser();
          const model = new Account();
          const holdIds = new Map<string, string>();
          let t = at('2027-01-31T12:00:00Z').getTime();
          for (const [gap, op] of ops) {
            t += gap;
            const now = new Date(t);
            const both = async (dbOp: () => Promise<unknown>, modelOp: () => unknown) => {
              let dbErr: unknown = null;
              let modelErr: unknown = null;
              try {
                await dbOp();
              } catch (e) {
                dbErr = e;
              }
              try {
                modelOp();
              } catch (e) {
                modelErr = e;
              }
              expect(dbErr === null, `db ${String(dbErr)} vs model ${String(modelErr)} on ${op.t}`).toBe(
                modelErr === null,
              );
            };
            switch (op.t) {
              case 'grant':
                await both(
                  () => grant(ctx.db, { userId, units: op.units, kind: op.promo ? 'promo' : 'payg', now }),
                  () => model.grant(op.units, op.promo ? 'promo' : 'payg', now),
                );
                break;
              case 'debit':
                await both(
                  () => debit(ctx.db, { userId, units: op.units, now }),
                  () => model.debit(op.units, now),
                );
                break;
              case 'reserve':
                await both(
                  async () => {
                    const r = await reserve(ctx.db, { userId, units: op.units, key: op.key, now });
                    if (r.ok) holdIds.set(op.key, r.hold.id);
                  },
                  () => model.reserve(op.key, op.units, now),
                );
                break;
              case 'capture': {
                const id = holdIds.get(op.key);
                const hold = model.holds.get(op.key);
                if (!id || !hold) break;
                const units = Math.min(op.units, hold.units);
                await both(
                  () => capture(ctx.db, { holdId: id, units, now }),
                  () => model.capture(op.key, now, units),
                );
                break;
              }
              case 'release': {
                const id = holdIds.get(op.key);
                if (!id) break;
                await both(
                  () => release(ctx.db, { holdId: id, now }),
                  () => model.release(op.key, now),
                );
                break;
              }
              case 'subscribe':
                await both(
                  () => startSubscription(ctx.db, { userId, monthlyUnits: op.monthly, now }),
                  () => model.startSubscription(op.monthly, now),
                );
                break;
              case 'change':
                await both(
                  () => changePlan(ctx.db, { userId, monthlyUnits: op.monthly, now }),
                  () => model.changePlan(op.monthly, now),
                );
                break;
              case 'cancel':
                await both(
                  () => cancelSubscription(ctx.db, { userId, now }),
                  () => model.cancel(now),
                );
                break;
              case 'due':
                await processDue(ctx.db, { now, holdTimeoutMs: 365 * DAY });
                model.processDue(now);
                break;
            }
            // A person outside any team: no team share, and what they can spend is their own credits.
            const { subscription: _s, team, ownUnits, ...mine } = await balance(ctx.db, { userId, now });
            expect(team).toBeNull();
            expect(ownUnits).toBe(mine.totalUnits);
            expect(mine).toEqual(model.balance(now));
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 240_000); // hundreds of short transactions: slow on a busy machine
});
