import { addYearsClamped } from './calendar';

export const LOT_KINDS = ['subscription', 'rollover', 'payg', 'promo'] as const;
export type LotKind = (typeof LOT_KINDS)[number];

/** A lot as the rules see it: `remaining` is what is left and not reserved by a hold. */
export interface Lot {
  id: string;
  kind: LotKind;
  amount: number;
  remaining: number;
  effectiveAt: Date;
  /** null: never expires (promo grants only). */
  expiresAt: Date | null;
}

/** A lot that does not exist yet (the caller assigns the id when it stores it). */
export type LotDraft = Omit<Lot, 'id' | 'remaining'>;

/** PAYG credits expire exactly two calendar years after purchase (29 Feb → 28 Feb). */
export function paygExpiry(purchasedAt: Date): Date {
  return addYearsClamped(purchasedAt, 2);
}

/** Read-time expiry: a lot is usable only between its effective and expiry instants. */
export function isLive(lot: Pick<Lot, 'effectiveAt' | 'expiresAt'>, now: Date): boolean {
  return (
    lot.effectiveAt.getTime() <= now.getTime() && (lot.expiresAt === null || lot.expiresAt.getTime() > now.getTime())
  );
}

export function isUsable(lot: Lot, now: Date): boolean {
  return lot.remaining > 0 && isLive(lot, now);
}

export function isSubscriptionKind(kind: LotKind): boolean {
  return kind === 'subscription' || kind === 'rollover';
}

// Ties on expiry and age: carried-over credit before this month's budget, bought before promotional.
const KIND_RANK: Record<LotKind, number> = { rollover: 0, subscription: 1, payg: 2, promo: 3 };

/**
 * Draw-down order: subscription and rollover lots first ("subscription credits are always used
 * first"), then by soonest expiry (never-expiring last), then oldest, then kind, then id for determinism.
 */
export function compareDrawDown(a: Lot, b: Lot): number {
  const sa = isSubscriptionKind(a.kind) ? 0 : 1;
  const sb = isSubscriptionKind(b.kind) ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ea = a.expiresAt ? a.expiresAt.getTime() : Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ? b.expiresAt.getTime() : Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const fa = a.effectiveAt.getTime();
  const fb = b.effectiveAt.getTime();
  if (fa !== fb) return fa - fb;
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Take {
  lotId: string;
  units: number;
}

export type DrawDownPlan = { ok: true; takes: Take[] } | { ok: false; reason: 'insufficient'; available: number };

/** Which lots pay for `units`, in order, possibly spanning lots; nothing at all when short (no overdraft). */
export function planDrawDown(lots: readonly Lot[], units: number, now: Date): DrawDownPlan {
  if (!Number.isSafeInteger(units) || units < 0) throw new Error(`Units must be a non-negative integer, got ${units}.`);
  const usable = lots.filter((lot) => isUsable(lot, now)).sort(compareDrawDown);
  const available = usable.reduce((sum, lot) => sum + lot.remaining, 0);
  if (available < units) return { ok: false, reason: 'insufficient', available };
  const takes: Take[] = [];
  let left = units;
  for (const lot of usable) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    takes.push({ lotId: lot.id, units: take });
    left -= take;
  }
  return { ok: true, takes };
}

export interface BalanceSummary {
  totalUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  nextExpiries: { units: number; kind: LotKind; expiresAt: Date }[];
}

/** What can be spent now, per kind of lot, and when the soonest of it expires. */
export function summarizeLots(lots: readonly Lot[], now: Date, maxExpiries = 10): BalanceSummary {
  const byKind: Record<LotKind, number> = { subscription: 0, rollover: 0, payg: 0, promo: 0 };
  const expiring = new Map<string, { units: number; kind: LotKind; expiresAt: Date }>();
  for (const lot of lots) {
    if (!isUsable(lot, now)) continue;
    byKind[lot.kind] += lot.remaining;
    if (lot.expiresAt) {
      const key = `${lot.kind}|${lot.expiresAt.getTime()}`;
      const entry = expiring.get(key);
      if (entry) entry.units += lot.remaining;
      else expiring.set(key, { units: lot.remaining, kind: lot.kind, expiresAt: lot.expiresAt });
    }
  }
  const nextExpiries = [...expiring.values()]
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.kind.localeCompare(b.kind))
    .slice(0, maxExpiries);
  return {
    totalUnits: byKind.subscription + byKind.rollover + byKind.payg + byKind.promo,
    subscriptionUnits: byKind.subscription,
    rolloverUnits: byKind.rollover,
    paygUnits: byKind.payg,
    promoUnits: byKind.promo,
    nextExpiries,
  };
}
