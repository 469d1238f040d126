import { compareDrawDown, isLive, isSubscriptionKind, type Lot, type LotDraft, type Take } from './lots';
import { rolloverCap, type Subscription } from './subscription';

/**
 * Units coming back from a hold — a release, or the uncharged rest of a capture — to lots that may
 * have closed while the hold was open. Had they not been held, a renewal would have carried them
 * (subscription and rollover units, up to the rollover cap) or let them expire; they are treated
 * exactly so now, instead of going back to a closed period where they could only expire.
 */
export interface ReturnPlan {
  /** Back to lots that are still live. */
  restore: Take[];
  /** Leave a closed period's lot into `rollover` (a carry entry on the old lot). */
  carry: Take[];
  /** Forfeited: the lot has expired and the units cannot carry. */
  expire: Take[];
  /** The new rollover lot of the current period holding what was carried, or null. */
  rollover: LotDraft | null;
}

export function planReturn(
  returned: readonly Take[],
  lots: readonly Lot[],
  subscription: Subscription | null,
  now: Date,
): ReturnPlan {
  const byId = new Map(lots.map((l) => [l.id, l]));
  const restore: Take[] = [];
  const closed: { lot: Lot; units: number }[] = [];
  const expire: Take[] = [];
  const active =
    subscription && subscription.status === 'active' && subscription.periodEnd.getTime() > now.getTime()
      ? subscription
      : null;
  for (const t of returned) {
    if (t.units <= 0) continue;
    const lot = byId.get(t.lotId);
    if (!lot || isLive(lot, now)) restore.push(t);
    else if (
      active &&
      isSubscriptionKind(lot.kind) &&
      lot.expiresAt !== null &&
      lot.expiresAt.getTime() <= active.periodStart.getTime()
    ) {
      closed.push({ lot, units: t.units });
    } else expire.push(t);
  }
  if (closed.length === 0 || !active) return { restore, carry: [], expire, rollover: null };

  // What the current period already carried counts against the cap.
  const carriedAlready = lots
    .filter(
      (l) =>
        l.kind === 'rollover' &&
        l.effectiveAt.getTime() >= active.periodStart.getTime() &&
        l.expiresAt?.getTime() === active.periodEnd.getTime(),
    )
    .reduce((s, l) => s + l.amount, 0);
  let room = Math.max(0, rolloverCap(active.monthlyUnits) - carriedAlready);
  const carry: Take[] = [];
  for (const { lot, units } of closed.sort((a, b) => compareDrawDown(a.lot, b.lot))) {
    const kept = Math.min(room, units);
    room -= kept;
    if (kept > 0) carry.push({ lotId: lot.id, units: kept });
    if (units > kept) expire.push({ lotId: lot.id, units: units - kept });
  }
  const carried = carry.reduce((s, c) => s + c.units, 0);
  return {
    restore,
    carry,
    expire,
    rollover: carried > 0 ? { kind: 'rollover', amount: carried, effectiveAt: now, expiresAt: active.periodEnd } : null,
  };
}
