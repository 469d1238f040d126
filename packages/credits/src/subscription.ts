import { addMonthsClamped } from './calendar';
import { compareDrawDown, isLive, isSubscriptionKind, type Lot, type LotDraft, type Take } from './lots';

/** The unused subscription + rollover balance carried into a new period is capped at 5 × the plan in force. */
export const ROLLOVER_CAP_MONTHS = 5;

export function rolloverCap(monthlyUnits: number): number {
  return ROLLOVER_CAP_MONTHS * monthlyUnits;
}

export interface Subscription {
  monthlyUnits: number;
  /** The instant the subscription started or the plan last changed; periods renew on its day of the month. */
  anchorAt: Date;
  /** Number of renewals since the anchor: the current period is [anchor + k months, anchor + k+1 months). */
  periodIndex: number;
  periodStart: Date;
  periodEnd: Date;
  status: 'active' | 'ended';
  cancelAtPeriodEnd: boolean;
}

/**
 * A change of period: a renewal, the end of a cancelled subscription, or a plan change.
 * `carry` units leave the old subscription/rollover lots into the new rollover lot, `expire` units are
 * forfeited, `closeLotIds` are old lots that stop being usable at `at`.
 */
export interface PeriodTransition {
  at: Date;
  kind: 'renew' | 'end' | 'change';
  carry: Take[];
  expire: Take[];
  closeLotIds: string[];
  newLots: LotDraft[];
  subscription: Subscription;
}

function assertMonthly(monthlyUnits: number): void {
  if (!Number.isSafeInteger(monthlyUnits) || monthlyUnits <= 0) {
    throw new Error(`The monthly budget must be a positive number of units, got ${monthlyUnits}.`);
  }
}

function budgetLots(monthlyUnits: number, carryUnits: number, start: Date, end: Date): LotDraft[] {
  const drafts: LotDraft[] = [];
  if (carryUnits > 0) drafts.push({ kind: 'rollover', amount: carryUnits, effectiveAt: start, expiresAt: end });
  drafts.push({ kind: 'subscription', amount: monthlyUnits, effectiveAt: start, expiresAt: end });
  return drafts;
}

export function startSubscription(
  monthlyUnits: number,
  now: Date,
): { subscription: Subscription; newLots: LotDraft[] } {
  assertMonthly(monthlyUnits);
  const end = addMonthsClamped(now, 1);
  return {
    subscription: {
      monthlyUnits,
      anchorAt: now,
      periodIndex: 0,
      periodStart: now,
      periodEnd: end,
      status: 'active',
      cancelAtPeriodEnd: false,
    },
    newLots: budgetLots(monthlyUnits, 0, now, end),
  };
}

/** Splits the unused balance of `lots` into what carries (up to `cap`, in draw-down order) and what is forfeited. */
function splitCarry(lots: Lot[], cap: number): { carry: Take[]; expire: Take[]; carried: number } {
  const carry: Take[] = [];
  const expire: Take[] = [];
  let room = cap;
  for (const lot of [...lots].sort(compareDrawDown)) {
    if (lot.remaining <= 0) continue;
    const kept = Math.min(room, lot.remaining);
    room -= kept;
    if (kept > 0) carry.push({ lotId: lot.id, units: kept });
    if (lot.remaining > kept) expire.push({ lotId: lot.id, units: lot.remaining - kept });
  }
  return { carry, expire, carried: cap - room };
}

/** Subscription/rollover lots usable just before instant `at` (the end of their period). */
function periodLotsEndingAt(lots: readonly Lot[], at: Date): Lot[] {
  const t = at.getTime();
  return lots.filter(
    (lot) =>
      isSubscriptionKind(lot.kind) &&
      lot.effectiveAt.getTime() < t &&
      (lot.expiresAt === null || lot.expiresAt.getTime() >= t),
  );
}

/** The earliest renewal due at `now` (its instant ≤ now), or null. Apply it, then ask again. */
export function nextRenewal(subscription: Subscription, lots: readonly Lot[], now: Date): PeriodTransition | null {
  if (subscription.status !== 'active' || subscription.periodEnd.getTime() > now.getTime()) return null;
  const at = subscription.periodEnd;
  const old = periodLotsEndingAt(lots, at);
  if (subscription.cancelAtPeriodEnd) {
    return {
      at,
      kind: 'end',
      carry: [],
      expire: old.filter((lot) => lot.remaining > 0).map((lot) => ({ lotId: lot.id, units: lot.remaining })),
      closeLotIds: [],
      newLots: [],
      subscription: { ...subscription, status: 'ended' },
    };
  }
  const { carry, expire, carried } = splitCarry(old, rolloverCap(subscription.monthlyUnits));
  const periodIndex = subscription.periodIndex + 1;
  const end = addMonthsClamped(subscription.anchorAt, periodIndex + 1);
  return {
    at,
    kind: 'renew',
    carry,
    expire,
    closeLotIds: [],
    newLots: budgetLots(subscription.monthlyUnits, carried, at, end),
    subscription: { ...subscription, periodIndex, periodStart: at, periodEnd: end },
  };
}

/**
 * Changing the plan starts a new period now: the unused balance carries, capped at 5 × the new budget,
 * the new budget is added, and renewals move to today's day of the month. It also undoes a pending cancel.
 * Apply due renewals first.
 */
export function changePlan(
  subscription: Subscription,
  lots: readonly Lot[],
  monthlyUnits: number,
  now: Date,
): PeriodTransition {
  assertMonthly(monthlyUnits);
  if (subscription.status !== 'active') throw new Error('There is no active subscription to change.');
  if (subscription.periodEnd.getTime() <= now.getTime())
    throw new Error('Apply due renewals before changing the plan.');
  const current = lots.filter((lot) => isSubscriptionKind(lot.kind) && isLive(lot, now));
  const { carry, expire, carried } = splitCarry(current, rolloverCap(monthlyUnits));
  const end = addMonthsClamped(now, 1);
  return {
    at: now,
    kind: 'change',
    carry,
    expire,
    closeLotIds: current.map((lot) => lot.id),
    newLots: budgetLots(monthlyUnits, carried, now, end),
    subscription: {
      monthlyUnits,
      anchorAt: now,
      periodIndex: 0,
      periodStart: now,
      periodEnd: end,
      status: 'active',
      cancelAtPeriodEnd: false,
    },
  };
}

/** Cancelling keeps the credits until the end of the current period; the next renewal then ends it. */
export function cancelAtPeriodEnd(subscription: Subscription): Subscription {
  if (subscription.status !== 'active') throw new Error('There is no active subscription to cancel.');
  return { ...subscription, cancelAtPeriodEnd: true };
}

/** Applies a transition to lot snapshots (pure): takes carry/expire units, closes lots, adds new lots. */
export function applyTransition(lots: readonly Lot[], transition: PeriodTransition, newId: () => string): Lot[] {
  const taken = new Map<string, number>();
  for (const t of [...transition.carry, ...transition.expire]) taken.set(t.lotId, (taken.get(t.lotId) ?? 0) + t.units);
  const closed = new Set(transition.closeLotIds);
  const next = lots.map((lot) => ({
    ...lot,
    remaining: lot.remaining - (taken.get(lot.id) ?? 0),
    expiresAt: closed.has(lot.id) ? transition.at : lot.expiresAt,
  }));
  for (const draft of transition.newLots) next.push({ ...draft, id: newId(), remaining: draft.amount });
  return next;
}

/** Every renewal due at `now`, applied in order to snapshots: what a writer would persist, for reads. */
export function projectRenewals(
  subscription: Subscription | null,
  lots: readonly Lot[],
  now: Date,
  newId: () => string,
): { subscription: Subscription | null; lots: Lot[]; transitions: PeriodTransition[] } {
  let sub = subscription;
  let current = [...lots];
  const transitions: PeriodTransition[] = [];
  for (let t = sub && nextRenewal(sub, current, now); sub && t; t = nextRenewal(sub, current, now)) {
    current = applyTransition(current, t, newId);
    sub = t.subscription;
    transitions.push(t);
  }
  return { subscription: sub, lots: current, transitions };
}
