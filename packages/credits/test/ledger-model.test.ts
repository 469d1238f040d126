import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Account,
  compareDrawDown,
  isSubscriptionKind,
  isUsable,
  planDrawDown,
  rolloverCap,
  type Lot,
  type LotKind,
} from '../src/index';

const DAY = 86_400_000;
const T0 = new Date('2027-01-01T00:00:00Z').getTime();
const RUNS = { numRuns: 150 };

// ---- random operation sequences against the reference ledger ----
type Op =
  | { t: 'grant'; kind: 'payg' | 'promo'; units: number; expiresInDays: number | null }
  | { t: 'debit'; units: number }
  | { t: 'reserve'; key: string; units: number }
  | { t: 'capture'; key: string; fraction: number }
  | { t: 'release'; key: string }
  | { t: 'subscribe'; monthly: number }
  | { t: 'change'; monthly: number }
  | { t: 'cancel' }
  | { t: 'due' };

const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('grant' as const),
    kind: fc.constantFrom('payg' as const, 'promo' as const),
    units: fc.integer({ min: 1, max: 400 }),
    expiresInDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
  }),
  fc.record({ t: fc.constant('debit' as const), units: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ t: fc.constant('reserve' as const), key: keyArb, units: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ t: fc.constant('capture' as const), key: keyArb, fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ t: fc.constant('release' as const), key: keyArb }),
  fc.record({ t: fc.constant('subscribe' as const), monthly: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ t: fc.constant('change' as const), monthly: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ t: fc.constant('cancel' as const) }),
  fc.record({ t: fc.constant('due' as const) }),
);
const timedOpsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 * DAY }), opArb), { minLength: 1, maxLength: 40 });

function run(ops: [number, Op][], check?: (acc: Account, now: Date) => void): { acc: Account; now: Date } {
  const acc = new Account();
  let t = T0;
  for (const [gap, op] of ops) {
    t += gap;
    const now = new Date(t);
    try {
      switch (op.t) {
        case 'grant':
          acc.grant(op.units, op.kind, now, op.expiresInDays === null ? null : new Date(t + op.expiresInDays * DAY));
          break;
        case 'debit':
          acc.debit(op.units, now);
          break;
        case 'reserve':
          acc.reserve(op.key, op.units, now);
          break;
        case 'capture': {
          const hold = acc.holds.get(op.key);
          if (hold) acc.capture(op.key, now, Math.floor(hold.units * op.fraction));
          break;
        }
        case 'release':
          acc.release(op.key, now);
          break;
        case 'subscribe':
          acc.startSubscription(op.monthly, now);
          break;
        case 'change':
          acc.changePlan(op.monthly, now);
          break;
        case 'cancel':
          acc.cancel(now);
          break;
        case 'due':
          acc.processDue(now);
          break;
      }
    } catch (e) {
      // Refused operations (no subscription, released hold, …) must leave no trace; checked below.
      expect((e as Error).message).toMatch(/subscription|hold|Already subscribed|No such/);
    }
    check?.(acc, now);
  }
  return { acc, now: new Date(t) };
}

function sumEntries(acc: Account, types: string[]): number {
  return acc.entries.filter((e) => types.includes(e.type)).reduce((s, e) => s + e.delta, 0);
}

describe('reference ledger properties', () => {
  it('balance = Σ granted − Σ spent − Σ expired (held counted apart), and nothing is ever negative', () => {
    fc.assert(
      fc.property(timedOpsArb, (ops) => {
        run(ops, (acc, now) => {
          for (const lot of acc.lots) {
            expect(lot.remaining).toBeGreaterThanOrEqual(0);
            expect(lot.remaining).toBeLessThanOrEqual(lot.amount);
          }
          const probe = acc.clone();
          probe.processDue(now);
          const granted = sumEntries(probe, ['grant', 'rollover']);
          const spent = -sumEntries(probe, ['charge', 'debit']);
          const expired = -sumEntries(probe, ['expire', 'carry']);
          const b = acc.balance(now);
          expect(b.totalUnits).toBeGreaterThanOrEqual(0);
          expect(b.totalUnits + b.heldUnits).toBe(granted - spent - expired);
          expect(b.totalUnits).toBe(probe.usableUnits(now));
        });
      }),
      RUNS,
    );
  });

  it('replaying an idempotency key changes nothing', () => {
    fc.assert(
      fc.property(
        timedOpsArb,
        keyArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (ops, key, u1, u2) => {
          const { acc, now } = run(ops);
          const first = acc.reserve(key, u1, now);
          fc.pre(first.ok);
          const snapshot = JSON.stringify({ lots: acc.lots, entries: acc.entries, holds: [...acc.holds] });
          const again = acc.reserve(key, u2, now);
          expect(JSON.stringify({ lots: acc.lots, entries: acc.entries, holds: [...acc.holds] })).toBe(snapshot);
          if (first.ok) expect(again).toEqual(first);
          if (first.ok && first.hold.status === 'held') {
            acc.capture(key, now);
            const afterCapture = JSON.stringify({ lots: acc.lots, entries: acc.entries });
            acc.capture(key, now);
            expect(acc.reserve(key, u2, now)).toMatchObject({ ok: true, hold: { status: 'captured' } });
            expect(JSON.stringify({ lots: acc.lots, entries: acc.entries })).toBe(afterCapture);
          }
        },
      ),
      RUNS,
    );
  });
});

// ---- draw-down planning on arbitrary lots ----
const lotArb = (i: number): fc.Arbitrary<Lot> =>
  fc
    .record({
      kind: fc.constantFrom<LotKind>('subscription', 'rollover', 'payg', 'promo'),
      amount: fc.integer({ min: 1, max: 50 }),
      used: fc.integer({ min: 0, max: 50 }),
      effective: fc.integer({ min: -100, max: 5 }),
      expires: fc.option(fc.integer({ min: -5, max: 100 }), { nil: null }),
    })
    .map(({ kind, amount, used, effective, expires }) => ({
      id: `lot-${i}`,
      kind,
      amount,
      remaining: Math.max(0, amount - used),
      effectiveAt: new Date(T0 + effective * DAY),
      expiresAt: expires === null ? null : new Date(T0 + expires * DAY),
    }));
const lotsArb = fc
  .integer({ min: 0, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lotArb(i))));

describe('draw-down', () => {
  it('takes subscription and rollover first, then soonest expiry, spans lots, never overdraws', () => {
    fc.assert(
      fc.property(lotsArb, fc.integer({ min: 0, max: 300 }), (lots, units) => {
        const now = new Date(T0);
        const usable = lots.filter((l) => isUsable(l, now));
        const available = usable.reduce((s, l) => s + l.remaining, 0);
        const plan = planDrawDown(lots, units, now);
        if (!plan.ok) {
          expect(units).toBeGreaterThan(available);
          expect(plan.available).toBe(available);
          return;
        }
        expect(plan.takes.reduce((s, t) => s + t.units, 0)).toBe(units);
        const ordered = [...usable].sort(compareDrawDown);
        // The takes are a prefix of the ordered usable lots, each emptied except possibly the last.
        plan.takes.forEach((take, i) => {
          const lot = ordered[i]!;
          expect(take.lotId).toBe(lot.id);
          if (i < plan.takes.length - 1) expect(take.units).toBe(lot.remaining);
          else expect(take.units).toBeLessThanOrEqual(lot.remaining);
        });
        // No other kind is touched while subscription/rollover credit remains untaken.
        const subLeft = usable.filter((l) => isSubscriptionKind(l.kind)).reduce((s, l) => s + l.remaining, 0);
        const subTaken = plan.takes
          .filter((t) => isSubscriptionKind(lots.find((l) => l.id === t.lotId)!.kind))
          .reduce((s, t) => s + t.units, 0);
        expect(subTaken).toBe(Math.min(units, subLeft));
        // Within each group: soonest expiry first (never-expiring last), then oldest.
        const exp = (l: Lot) => (l.expiresAt ? l.expiresAt.getTime() : Number.POSITIVE_INFINITY);
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1]!;
          const b = ordered[i]!;
          if (isSubscriptionKind(a.kind) !== isSubscriptionKind(b.kind)) {
            expect(isSubscriptionKind(a.kind)).toBe(true);
            continue;
          }
          expect(exp(a)).toBeLessThanOrEqual(exp(b));
          if (exp(a) === exp(b)) expect(a.effectiveAt.getTime()).toBeLessThanOrEqual(b.effectiveAt.getTime());
        }
        // Never-expiring lots come after every expiring lot of the same group.
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1]!;
          const b = ordered[i]!;
          if (isSubscriptionKind(a.kind) === isSubscriptionKind(b.kind) && a.expiresAt === null)
            expect(b.expiresAt).toBeNull();
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ---- subscriptions ----
describe('subscriptions', () => {
  it('each renewal carries min(unused, 5 × plan) and adds a fresh budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 }),
        fc.date({ min: new Date('2027-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        (monthly, spends, start) => {
          const acc = new Account();
          acc.startSubscription(monthly, start);
          for (const spend of spends) {
            const sub = acc.subscription!;
            const mid = new Date(sub.periodStart.getTime() + 1000);
            const toSpend = Math.min(spend, acc.balance(mid).totalUnits);
            if (toSpend > 0) acc.debit(toSpend, mid);
            const unused = acc.balance(mid).totalUnits;
            const renewal = sub.periodEnd;
            acc.processDue(renewal);
            const b = acc.balance(renewal);
            expect(b.rolloverUnits).toBe(Math.min(unused, rolloverCap(monthly)));
            expect(b.rolloverUnits).toBeLessThanOrEqual(5 * monthly);
            expect(b.subscriptionUnits).toBe(monthly);
          }
        },
      ),
      RUNS,
    );
  });

  it('a plan change starts a new period now, carrying at most 5 × the new budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 27 * DAY }),
        (oldMonthly, newMonthly, months, offset) => {
          const acc = new Account();
          acc.startSubscription(oldMonthly, new Date(T0));
          acc.processDue(new Date(Date.UTC(2027, months, 1)));
          const at = new Date(Date.UTC(2027, months, 1) + offset);
          const before = acc.balance(at);
          acc.changePlan(newMonthly, at);
          const after = acc.balance(at);
          const unused = before.subscriptionUnits + before.rolloverUnits;
          expect(after.rolloverUnits).toBe(Math.min(unused, 5 * newMonthly));
          expect(after.subscriptionUnits).toBe(newMonthly);
          expect(acc.subscription!.periodStart).toEqual(at);
          // Renewals move to the change's day of month.
          const nextEnd = acc.subscription!.periodEnd;
          acc.processDue(nextEnd);
          expect(acc.balance(nextEnd).subscriptionUnits).toBe(newMonthly);
          expect(acc.subscription!.periodStart).toEqual(nextEnd);
        },
      ),
      RUNS,
    );
  });

  it('cancel keeps credits to the end of the period, then only PAYG and promo remain', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 27 * DAY }),
        (monthly, payg, promo, offset) => {
          const acc = new Account();
          acc.startSubscription(monthly, new Date(T0));
          const at = new Date(T0 + offset);
          acc.grant(payg, 'payg', at);
          acc.grant(promo, 'promo', at, null);
          acc.cancel(at);
          const end = acc.subscription!.periodEnd;
          expect(acc.balance(new Date(end.getTime() - 1)).totalUnits).toBe(monthly + payg + promo);
          const afterEnd = acc.balance(end);
          expect(afterEnd).toMatchObject({
            subscriptionUnits: 0,
            rolloverUnits: 0,
            paygUnits: payg,
            promoUnits: promo,
          });
          acc.processDue(new Date(end.getTime() + 90 * DAY));
          expect(acc.subscription!.status).toBe('ended');
          expect(acc.balance(new Date(end.getTime() + 90 * DAY)).totalUnits).toBe(payg + promo);
        },
      ),
      RUNS,
    );
  });

  it('PAYG is usable two years minus a second after purchase and gone at two years', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
        (bought) => {
          const acc = new Account();
          const lot = acc.grant(8, 'payg', bought);
          const expiry = lot.expiresAt!;
          expect(expiry.getUTCFullYear()).toBe(bought.getUTCFullYear() + 2);
          expect(acc.balance(new Date(expiry.getTime() - 1000)).paygUnits).toBe(8);
          expect(acc.balance(expiry).paygUnits).toBe(0);
          expect(acc.debit(1, expiry)).toMatchObject({ ok: false, available: 0 });
        },
      ),
      RUNS,
    );
  });
});

describe('the issue scenario on the reference ledger', () => {
  it('170, 600, 120, subscription first, then only PAYG until it expires', () => {
    const acc = new Account();
    const c = (s: string) => new Date(s);
    acc.startSubscription(400, c('2027-01-01T00:00:00Z'));
    acc.debit(120, c('2027-01-01T00:00:00Z'));
    acc.processDue(c('2027-02-01T00:00:00Z'));
    expect(acc.balance(c('2027-02-01T00:00:00Z')).totalUnits).toBe(680);
    acc.processDue(c('2027-07-01T00:00:00Z'));
    expect(acc.balance(c('2027-07-01T00:00:00Z'))).toMatchObject({ totalUnits: 2400, rolloverUnits: 2000 });
    acc.changePlan(80, c('2027-08-10T00:00:00Z'));
    expect(acc.balance(c('2027-08-10T00:00:00Z')).totalUnits).toBe(480);
    acc.grant(200, 'payg', c('2027-09-15T00:00:00Z'));
    acc.debit(4, c('2027-09-15T00:00:00Z'));
    expect(acc.balance(c('2027-09-15T00:00:00Z'))).toMatchObject({ paygUnits: 200, totalUnits: 676 });
    acc.cancel(c('2027-09-15T00:00:00Z'));
    acc.processDue(c('2027-10-10T00:00:00Z'));
    expect(acc.balance(c('2027-10-10T00:00:00Z')).totalUnits).toBe(200);
    expect(acc.balance(c('2029-09-14T23:59:59Z')).paygUnits).toBe(200);
    expect(acc.balance(c('2029-09-15T00:00:00Z')).totalUnits).toBe(0);
  });
});
