// The split draw-down of a team member's charge (src/teams.ts) on arbitrary team lots, own lots,
// caps and prices: team first within the cap, then own credits, usual order in each, never more
// than the cap from the team, never an overdraft, the parts sum to the price — or a refusal that
// names what ran short and takes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capLeft,
  capMonth,
  capturedTeamUnits,
  isUsable,
  type Lot,
  type LotKind,
  planDrawDown,
  planSplitDrawDown,
  splitAllocations,
  teamShare,
} from '../src/index';

const DAY = 86_400_000;
const T0 = new Date('2027-03-15T12:00:00Z').getTime();
const NOW = new Date(T0);
const RUNS = { numRuns: 400 };

const lotArb = (prefix: string, i: number): fc.Arbitrary<Lot> =>
  fc
    .record({
      kind: fc.constantFrom<LotKind>('subscription', 'rollover', 'payg', 'promo'),
      amount: fc.integer({ min: 1, max: 40 }),
      used: fc.integer({ min: 0, max: 40 }),
      effective: fc.integer({ min: -60, max: 3 }),
      expires: fc.option(fc.integer({ min: -3, max: 60 }), { nil: null }),
    })
    .map(({ kind, amount, used, effective, expires }) => ({
      id: `${prefix}-${i}`,
      kind,
      amount,
      remaining: Math.max(0, amount - used),
      effectiveAt: new Date(T0 + effective * DAY),
      expiresAt: expires === null ? null : new Date(T0 + expires * DAY),
    }));
const lotsArb = (prefix: string) =>
  fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lotArb(prefix, i))));

const usable = (lots: readonly Lot[]) => lots.reduce((s, l) => (isUsable(l, NOW) ? s + l.remaining : s), 0);
const sum = (takes: { units: number }[]) => takes.reduce((s, t) => s + t.units, 0);

const caseArb = fc.record({
  teamLots: fc.option(lotsArb('team'), { nil: null }),
  ownLots: lotsArb('own'),
  cap: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  used: fc.integer({ min: 0, max: 150 }),
  units: fc.integer({ min: 0, max: 200 }),
});

describe('split draw-down (team first within the cap, then own credits)', () => {
  it('pays exactly the price, team first up to min(pool, cap left), each part in the usual order, never overdrawn', () => {
    fc.assert(
      fc.property(caseArb, ({ teamLots, ownLots, cap, used, units }) => {
        const left = capLeft(cap, used);
        const plan = planSplitDrawDown({ units, teamLots, capLeftUnits: left, ownLots, now: NOW });
        const pool = teamLots ? usable(teamLots) : 0;
        const teamOpen = teamLots ? teamShare(pool, left) : 0;
        const own = usable(ownLots);
        expect(plan.ok).toBe(teamOpen + own >= units);
        if (!plan.ok) return;
        // Sum of parts = price; team part first, and only as much as the cap leaves.
        expect(sum(plan.takes)).toBe(units);
        expect(plan.teamUnits + plan.ownUnits).toBe(units);
        expect(sum(plan.teamTakes)).toBe(plan.teamUnits);
        expect(sum(plan.ownTakes)).toBe(plan.ownUnits);
        expect(plan.teamUnits).toBe(Math.min(units, teamOpen));
        if (left !== null) expect(plan.teamUnits).toBeLessThanOrEqual(left);
        expect(plan.takes).toEqual([...plan.teamTakes, ...plan.ownTakes]);
        // Team takes only team lots, own takes only own lots; no lot gives more than it has.
        for (const t of plan.teamTakes) expect(t.lotId.startsWith('team-')).toBe(true);
        for (const t of plan.ownTakes) expect(t.lotId.startsWith('own-')).toBe(true);
        const all = [...(teamLots ?? []), ...ownLots];
        for (const t of plan.takes) {
          const lot = all.find((l) => l.id === t.lotId)!;
          expect(isUsable(lot, NOW)).toBe(true);
          expect(t.units).toBeGreaterThan(0);
          expect(t.units).toBeLessThanOrEqual(lot.remaining);
        }
        // Within each part the usual order: exactly what planDrawDown takes for that part.
        const teamPlan = planDrawDown(teamLots ?? [], plan.teamUnits, NOW);
        const ownPlan = planDrawDown(ownLots, plan.ownUnits, NOW);
        expect(teamPlan.ok && teamPlan.takes).toEqual(plan.teamTakes);
        expect(ownPlan.ok && ownPlan.takes).toEqual(plan.ownTakes);
        // Own credits are touched only when the team part could not cover the price.
        if (plan.ownUnits > 0) expect(plan.teamUnits).toBe(teamOpen);
      }),
      RUNS,
    );
  });

  it('a refusal names what ran short and what could be spent', () => {
    fc.assert(
      fc.property(caseArb, ({ teamLots, ownLots, cap, used, units }) => {
        const left = capLeft(cap, used);
        const plan = planSplitDrawDown({ units, teamLots, capLeftUnits: left, ownLots, now: NOW });
        if (plan.ok) return;
        const pool = teamLots ? usable(teamLots) : 0;
        expect(plan.reason).toBe('insufficient');
        expect(plan.ownAvailable).toBe(usable(ownLots));
        expect(plan.teamAvailable).toBe(teamLots ? teamShare(pool, left) : 0);
        expect(plan.available).toBe(plan.teamAvailable + plan.ownAvailable);
        expect(plan.available).toBeLessThan(units);
        if (!teamLots) expect(plan.shortOf).toBe('own');
        else if (left !== null && left < pool) expect(plan.shortOf).toBe('cap');
        else expect(plan.shortOf).toBe('team');
      }),
      RUNS,
    );
  });

  it('two members charging one pool in turn never take more than it holds, each within their cap', () => {
    fc.assert(
      fc.property(
        lotsArb('team'),
        fc.array(
          fc.record({
            member: fc.constantFrom(0, 1),
            units: fc.integer({ min: 1, max: 12 }),
          }),
          { maxLength: 30 },
        ),
        fc.tuple(
          fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
          fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        ),
        (team, charges, caps) => {
          const lots = team.map((l) => ({ ...l }));
          const poolBefore = usable(lots);
          const usedBy = [0, 0];
          for (const c of charges) {
            const left = capLeft(caps[c.member]!, usedBy[c.member]!);
            const plan = planSplitDrawDown({
              units: c.units,
              teamLots: lots,
              capLeftUnits: left,
              ownLots: [],
              now: NOW,
            });
            if (!plan.ok) continue;
            for (const t of plan.teamTakes) lots.find((l) => l.id === t.lotId)!.remaining -= t.units;
            usedBy[c.member]! += plan.teamUnits;
          }
          for (const l of lots) expect(l.remaining).toBeGreaterThanOrEqual(0);
          expect(usedBy[0]! + usedBy[1]!).toBe(poolBefore - usable(lots));
          for (const m of [0, 1]) if (caps[m] !== null) expect(usedBy[m]!).toBeLessThanOrEqual(caps[m]!);
        },
      ),
      RUNS,
    );
  });

  it('a partial capture charges the team part first', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ teamLots, ownLots, cap, used, units }, f) => {
        const plan = planSplitDrawDown({ units, teamLots, capLeftUnits: capLeft(cap, used), ownLots, now: NOW });
        if (!plan.ok) return;
        const captured = Math.floor(units * f);
        const { charged } = splitAllocations(plan.takes, captured);
        const chargedTeam = sum(charged.filter((c) => c.lotId.startsWith('team-')));
        expect(chargedTeam).toBe(capturedTeamUnits(plan.teamUnits, captured));
      }),
      RUNS,
    );
  });

  it('caps count per calendar month (UTC) and never go below zero', () => {
    expect(capMonth(new Date('2027-02-28T23:59:59.999Z'))).toEqual({
      start: new Date('2027-02-01T00:00:00Z'),
      end: new Date('2027-03-01T00:00:00Z'),
    });
    expect(capMonth(new Date('2027-12-31T23:00:00Z')).end).toEqual(new Date('2028-01-01T00:00:00Z'));
    expect(capLeft(null, 99)).toBeNull();
    expect(capLeft(8, 3)).toBe(5);
    expect(capLeft(8, 12)).toBe(0);
    expect(teamShare(10, null)).toBe(10);
    expect(teamShare(10, 4)).toBe(4);
    expect(teamShare(3, 4)).toBe(3);
    expect(() => planSplitDrawDown({ units: 1, teamLots: [], capLeftUnits: -1, ownLots: [], now: NOW })).toThrow(/cap/);
  });
});
