/**
 * Teams: a member's charge draws from the team's lots first, within what their monthly cap still
 * allows, then from their own lots, each in the usual draw-down order (compareDrawDown); one plan,
 * no overdraft. When it cannot be paid the refusal says which part ran short: the member's monthly
 * allowance (cap), the team's pool, or (outside a team) the person's own credits.
 */
import { isUsable, type Lot, planDrawDown, type Take } from './lots';
import { assertUnits } from './units';

/** What ran short: 'cap' = the member's monthly team allowance, 'team' = the team's credits, 'own' = no team part at all. */
export type Shortfall = 'own' | 'cap' | 'team';

export interface SplitDrawDownInput {
  units: number;
  /** The team's lots, or null when the person is in no team. */
  teamLots: readonly Lot[] | null;
  /** Team units the member may still use this month; null: no cap. Ignored without teamLots. */
  capLeftUnits: number | null;
  ownLots: readonly Lot[];
  now: Date;
}

export type SplitDrawDownPlan =
  | {
      ok: true;
      /** Team takes first, then own takes: the order a hold's allocations are kept in. */
      takes: Take[];
      teamTakes: Take[];
      ownTakes: Take[];
      teamUnits: number;
      ownUnits: number;
    }
  | {
      ok: false;
      reason: 'insufficient';
      /** What the person could spend: their team share plus their own credits. */
      available: number;
      shortOf: Shortfall;
      /** The team credits open to the member (pool within the cap); 0 outside a team. */
      teamAvailable: number;
      ownAvailable: number;
    };

function usableUnits(lots: readonly Lot[], now: Date): number {
  return lots.reduce((sum, lot) => (isUsable(lot, now) ? sum + lot.remaining : sum), 0);
}

/** The member's team credits left this month: the cap less what they used, never below 0; null: no cap. */
export function capLeft(capUnits: number | null, usedUnits: number): number | null {
  return capUnits === null ? null : Math.max(0, capUnits - usedUnits);
}

/** Team credits a member can spend now: the team's pool, limited by what their cap leaves. */
export function teamShare(poolUnits: number, capLeftUnits: number | null): number {
  return capLeftUnits === null ? poolUnits : Math.max(0, Math.min(poolUnits, capLeftUnits));
}

/** For a member who cannot pay: the cap ran out when it, not the pool, bounded their team part; else the pool did. */
export function teamShortfall(poolUnits: number, capLeftUnits: number | null): Exclude<Shortfall, 'own'> {
  return capLeftUnits !== null && capLeftUnits < poolUnits ? 'cap' : 'team';
}

/** The calendar month (UTC) a cap counts in: [start, end). */
export function capMonth(now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/**
 * Which lots pay for `units`: the team's first, up to min(team pool, cap left), then the person's own,
 * each in the usual order. Nothing at all when the two together fall short.
 */
export function planSplitDrawDown(input: SplitDrawDownInput): SplitDrawDownPlan {
  const { units, now } = input;
  assertUnits(units, true);
  if (input.capLeftUnits !== null && (!Number.isSafeInteger(input.capLeftUnits) || input.capLeftUnits < 0))
    throw new Error(`A cap must be a non-negative integer of units, got ${input.capLeftUnits}.`);
  const teamLots = input.teamLots ?? [];
  const pool = input.teamLots ? usableUnits(teamLots, now) : 0;
  const teamAvailable = input.teamLots ? teamShare(pool, input.capLeftUnits) : 0;
  const ownAvailable = usableUnits(input.ownLots, now);
  if (teamAvailable + ownAvailable < units) {
    const shortOf = input.teamLots ? teamShortfall(pool, input.capLeftUnits) : 'own';
    return {
      ok: false,
      reason: 'insufficient',
      available: teamAvailable + ownAvailable,
      shortOf,
      teamAvailable,
      ownAvailable,
    };
  }
  const teamUnits = Math.min(units, teamAvailable);
  const ownUnits = units - teamUnits;
  const team = planDrawDown(teamLots, teamUnits, now);
  const own = planDrawDown(input.ownLots, ownUnits, now);
  // Both fit by construction (teamUnits ≤ pool, ownUnits ≤ own).
  if (!team.ok || !own.ok) throw new Error('planSplitDrawDown: a part did not fit.');
  return {
    ok: true,
    takes: [...team.takes, ...own.takes],
    teamTakes: team.takes,
    ownTakes: own.takes,
    teamUnits,
    ownUnits,
  };
}

/** Of a hold's team units, those a capture of `capturedUnits` charged (team allocations come first). */
export function capturedTeamUnits(teamUnits: number, capturedUnits: number): number {
  return Math.min(teamUnits, capturedUnits);
}
