/**
 * Period changes decided by @bgr/credits (renewal, end, plan change) written to the ledger. Every
 * writer applies its owner's (a person's or a team's) due renewals first, under the row lock, so all see the same period.
 */
import { nextRenewal, type PeriodTransition } from '@bgr/credits';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../client';
import { lots, subscriptions } from '../../schema';
import type { Owner } from './owner';
import { activeSubscription, loadLots, toSubscription } from './rows';
import { adjustLots, insertLot, writeEntries } from './writes';

/** Persists a renewal, end or plan change decided by @bgr/credits. */
export async function persistTransition(
  tx: Db,
  owner: Owner,
  subscriptionId: string,
  t: PeriodTransition,
  actorId?: string | null,
): Promise<void> {
  await writeEntries(tx, owner, [
    ...t.carry.map((c) => ({ lotId: c.lotId, type: 'carry' as const, delta: -c.units, at: t.at, actorId })),
    ...t.expire.map((e) => ({ lotId: e.lotId, type: 'expire' as const, delta: -e.units, at: t.at, actorId })),
  ]);
  await adjustLots(tx, [...t.carry, ...t.expire], -1);
  if (t.closeLotIds.length > 0) await tx.update(lots).set({ expiresAt: t.at }).where(inArray(lots.id, t.closeLotIds));
  for (const draft of t.newLots) {
    await insertLot(
      tx,
      owner,
      draft,
      { type: draft.kind === 'rollover' ? 'rollover' : 'grant', actorId },
      subscriptionId,
    );
  }
  const s = t.subscription;
  await tx
    .update(subscriptions)
    .set({
      monthlyUnits: s.monthlyUnits,
      anchorAt: s.anchorAt,
      periodIndex: s.periodIndex,
      periodStart: s.periodStart,
      periodEnd: s.periodEnd,
      status: s.status,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      endedAt: s.status === 'ended' ? t.at : null,
    })
    .where(eq(subscriptions.id, subscriptionId));
}

/** Applies every renewal due at `now` for a locked owner (person or team), in order. Returns how many. */
export async function applyDueRenewals(tx: Db, owner: Owner, now: Date): Promise<number> {
  const row = await activeSubscription(tx, owner);
  if (!row || row.periodEnd.getTime() > now.getTime()) return 0;
  let sub = toSubscription(row);
  let count = 0;
  for (;;) {
    const t = nextRenewal(sub, await loadLots(tx, owner, now), now);
    if (!t) return count;
    await persistTransition(tx, owner, row.id, t);
    sub = t.subscription;
    count++;
  }
}
