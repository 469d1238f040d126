import { assertUnits } from './units';
import { isLive, isUsable, planDrawDown, paygExpiry, summarizeLots, type Lot, type LotKind, type Take } from './lots';
import { planReturn } from './returns';
import {
  applyTransition,
  cancelAtPeriodEnd,
  changePlan,
  nextRenewal,
  startSubscription,
  type PeriodTransition,
  type Subscription,
} from './subscription';

/**
 * An in-memory reference ledger built only from the pure rules above. It is the executable
 * specification the property tests exercise; packages/db persists the same decisions in SQL.
 */
export type EntryType = 'grant' | 'rollover' | 'carry' | 'expire' | 'charge' | 'debit';

export interface Entry {
  type: EntryType;
  lotId: string;
  /** Signed change to the lot's balance. */
  delta: number;
  at: Date;
  holdKey?: string;
}

export interface Hold {
  key: string;
  units: number;
  status: 'held' | 'captured' | 'released';
  capturedUnits: number;
  allocations: Take[];
  createdAt: Date;
}

export type ReserveResult = { ok: true; hold: Hold } | { ok: false; reason: 'insufficient'; available: number };

export class Account {
  lots: Lot[] = [];
  entries: Entry[] = [];
  holds = new Map<string, Hold>();
  subscription: Subscription | null = null;
  private seq = 0;

  private newId = (): string => `lot-${String(++this.seq).padStart(6, '0')}`;

  private lot(id: string): Lot {
    const lot = this.lots.find((l) => l.id === id);
    if (!lot) throw new Error(`No lot ${id}.`);
    return lot;
  }

  private addLot(kind: LotKind, amount: number, at: Date, expiresAt: Date | null, type: EntryType): Lot {
    const lot: Lot = { id: this.newId(), kind, amount, remaining: amount, effectiveAt: at, expiresAt };
    this.lots.push(lot);
    this.entries.push({ type, lotId: lot.id, delta: amount, at });
    return lot;
  }

  private applyTransition(t: PeriodTransition): void {
    for (const c of t.carry) this.entries.push({ type: 'carry', lotId: c.lotId, delta: -c.units, at: t.at });
    for (const e of t.expire) this.entries.push({ type: 'expire', lotId: e.lotId, delta: -e.units, at: t.at });
    const before = new Set(this.lots.map((l) => l.id));
    this.lots = applyTransition(this.lots, t, this.newId);
    for (const lot of this.lots) {
      if (!before.has(lot.id)) {
        this.entries.push({
          type: lot.kind === 'rollover' ? 'rollover' : 'grant',
          lotId: lot.id,
          delta: lot.amount,
          at: t.at,
        });
      }
    }
    this.subscription = t.subscription;
  }

  /** Every renewal due at `now`; writers call this first, exactly like the database does. */
  applyRenewals(now: Date): number {
    let count = 0;
    for (let t = this.subscription && nextRenewal(this.subscription, this.lots, now); t; ) {
      this.applyTransition(t);
      count++;
      t = this.subscription && nextRenewal(this.subscription, this.lots, now);
    }
    return count;
  }

  grant(units: number, kind: 'payg' | 'promo', now: Date, expiresAt?: Date | null): Lot {
    assertUnits(units);
    this.applyRenewals(now);
    const expiry = kind === 'payg' ? paygExpiry(now) : (expiresAt ?? null);
    return this.addLot(kind, units, now, expiry, 'grant');
  }

  private take(takes: Take[]): void {
    for (const t of takes) this.lot(t.lotId).remaining -= t.units;
  }

  debit(units: number, now: Date): ReserveResult | { ok: true; takes: Take[] } {
    assertUnits(units);
    this.applyRenewals(now);
    const plan = planDrawDown(this.lots, units, now);
    if (!plan.ok) return plan;
    this.take(plan.takes);
    for (const t of plan.takes) this.entries.push({ type: 'debit', lotId: t.lotId, delta: -t.units, at: now });
    return { ok: true, takes: plan.takes };
  }

  reserve(key: string, units: number, now: Date): ReserveResult {
    const existing = this.holds.get(key);
    if (existing) return { ok: true, hold: existing };
    assertUnits(units, true);
    this.applyRenewals(now);
    const plan = planDrawDown(this.lots, units, now);
    if (!plan.ok) return plan;
    this.take(plan.takes);
    const hold: Hold = { key, units, status: 'held', capturedUnits: 0, allocations: plan.takes, createdAt: now };
    this.holds.set(key, hold);
    return { ok: true, hold };
  }

  /** Charges the first `units` of the hold (in draw-down order) and returns the rest to its lots. */
  capture(key: string, now: Date, units?: number): Hold {
    const hold = this.holds.get(key);
    if (!hold) throw new Error('No such hold.');
    if (hold.status === 'captured') return hold;
    if (hold.status === 'released') throw new Error('The hold was released.');
    const charge = units ?? hold.units;
    assertUnits(charge, true);
    if (charge > hold.units) throw new Error('Cannot capture more than was held.');
    this.applyRenewals(now);
    const { charged, returned } = splitAllocations(hold.allocations, charge);
    for (const c of charged)
      this.entries.push({ type: 'charge', lotId: c.lotId, delta: -c.units, at: now, holdKey: key });
    this.giveBack(returned, now);
    hold.status = 'captured';
    hold.capturedUnits = charge;
    return hold;
  }

  release(key: string, now: Date): Hold {
    const hold = this.holds.get(key);
    if (!hold) throw new Error('No such hold.');
    if (hold.status === 'released') return hold;
    if (hold.status === 'captured') throw new Error('The hold was captured.');
    this.applyRenewals(now);
    this.giveBack(hold.allocations, now);
    hold.status = 'released';
    return hold;
  }

  /** Units back from a hold: to live lots, or carried/expired by the rules when their period closed meanwhile. */
  private giveBack(returned: readonly Take[], now: Date): void {
    const plan = planReturn(returned, this.lots, this.subscription, now);
    for (const r of plan.restore) this.lot(r.lotId).remaining += r.units;
    for (const c of plan.carry) this.entries.push({ type: 'carry', lotId: c.lotId, delta: -c.units, at: now });
    for (const e of plan.expire) this.entries.push({ type: 'expire', lotId: e.lotId, delta: -e.units, at: now });
    if (plan.rollover)
      this.addLot('rollover', plan.rollover.amount, plan.rollover.effectiveAt, plan.rollover.expiresAt, 'rollover');
  }

  startSubscription(monthlyUnits: number, now: Date): void {
    this.applyRenewals(now);
    if (this.subscription?.status === 'active') throw new Error('Already subscribed.');
    const { subscription, newLots } = startSubscription(monthlyUnits, now);
    this.subscription = subscription;
    for (const d of newLots) this.addLot(d.kind, d.amount, d.effectiveAt, d.expiresAt, 'grant');
  }

  changePlan(monthlyUnits: number, now: Date): void {
    this.applyRenewals(now);
    if (!this.subscription) throw new Error('There is no active subscription to change.');
    this.applyTransition(changePlan(this.subscription, this.lots, monthlyUnits, now));
  }

  cancel(now: Date): void {
    this.applyRenewals(now);
    if (!this.subscription) throw new Error('There is no active subscription to cancel.');
    this.subscription = cancelAtPeriodEnd(this.subscription);
  }

  /** Renewals, then expiry entries for whatever is left on lots that are no longer live. */
  processDue(now: Date): void {
    this.applyRenewals(now);
    for (const lot of this.lots) {
      if (lot.remaining > 0 && !isLive(lot, now) && lot.effectiveAt.getTime() <= now.getTime()) {
        this.entries.push({ type: 'expire', lotId: lot.id, delta: -lot.remaining, at: now });
        lot.remaining = 0;
      }
    }
  }

  heldUnits(): number {
    let held = 0;
    for (const h of this.holds.values()) if (h.status === 'held') held += h.units;
    return held;
  }

  /** Read-time balance: renewals projected, expired lots excluded. Does not change the account. */
  balance(now: Date): ReturnType<typeof summarizeLots> & { heldUnits: number } {
    const copy = this.clone();
    copy.applyRenewals(now);
    return { ...summarizeLots(copy.lots, now), heldUnits: this.heldUnits() };
  }

  usableUnits(now: Date): number {
    return this.lots.reduce((s, l) => (isUsable(l, now) ? s + l.remaining : s), 0);
  }

  clone(): Account {
    const copy = new Account();
    copy.lots = this.lots.map((l) => ({ ...l }));
    copy.entries = [...this.entries];
    copy.holds = new Map([...this.holds].map(([k, h]) => [k, { ...h, allocations: [...h.allocations] }]));
    copy.subscription = this.subscription ? { ...this.subscription } : null;
    copy.seq = this.seq;
    return copy;
  }
}

/** The first `units` of a hold's allocations are charged; the remainder goes back to its lots. */
export function splitAllocations(allocations: readonly Take[], units: number): { charged: Take[]; returned: Take[] } {
  const charged: Take[] = [];
  const returned: Take[] = [];
  let left = units;
  for (const a of allocations) {
    const c = Math.min(left, a.units);
    left -= c;
    if (c > 0) charged.push({ lotId: a.lotId, units: c });
    if (a.units > c) returned.push({ lotId: a.lotId, units: a.units - c });
  }
  return { charged, returned };
}
