/**
 * The periodic job: what time alone makes due (stale holds, renewals, expiries) applied without a
 * request, for people and teams alike. Readers never wait for it (balance() projects renewals itself); it keeps the ledger current.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../client';
import { DEFAULT_HOLD_TIMEOUT_MIN } from '../../env';
import { holds, lots, subscriptions } from '../../schema';
import { applyDueRenewals } from './renewals';
import { releaseHeld, settleHold } from './settle';
import { ownedBy, ownerOfRow } from './owner';
import { lockOwner } from './user-lock';
import { adjustLots, writeEntries } from './writes';

export interface ProcessDueInput {
  now?: Date;
  holdTimeoutMs?: number;
}

/** How much one run did. */
export interface ProcessDueResult {
  releasedHolds: number;
  renewals: number;
  expiredLots: number;
}

/**
 * Everything time has made due by `now`: stale holds (a crashed request) released, every renewal
 * applied in order, and expiry entries written for what is left on lots past their expiry (the
 * balance already ignores those at read time; the entries keep the ledger summing up).
 * `holdTimeoutMs` is the process's setting (readDbEnv().holdTimeoutMs, from HOLD_TIMEOUT_MIN);
 * omitted, the default of 15 minutes.
 */
export async function processDue(db: Db, input: ProcessDueInput = {}): Promise<ProcessDueResult> {
  const now = input.now ?? new Date();
  const timeout = input.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MIN * 60_000;
  let releasedHolds = 0;
  let renewals = 0;
  let expiredLots = 0;

  const stale = await db
    .select({ id: holds.id })
    .from(holds)
    .where(and(eq(holds.status, 'held'), lte(holds.createdAt, new Date(now.getTime() - timeout))))
    .orderBy(asc(holds.createdAt));
  for (const h of stale) {
    // Settled by its request in the meantime? Then there is nothing to do.
    await settleHold(db, h.id, now, async (tx, hold) => {
      if (hold.status !== 'held') return hold;
      releasedHolds++;
      return releaseHeld(tx, hold, now);
    });
  }

  // Owners are people and teams alike: each under its own lock, one at a time.
  const due = await db
    .selectDistinct({ userId: subscriptions.userId, teamId: subscriptions.teamId })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, 'active'), lte(subscriptions.periodEnd, now)));
  for (const row of due) {
    const owner = ownerOfRow(row);
    renewals += await db.transaction(async (tx) => {
      await lockOwner(tx, owner);
      return applyDueRenewals(tx, owner, now);
    });
  }

  const expiring = await db
    .selectDistinct({ userId: lots.userId, teamId: lots.teamId })
    .from(lots)
    .where(and(gt(lots.remaining, 0), lte(lots.expiresAt, now)));
  for (const row of expiring) {
    const owner = ownerOfRow(row);
    expiredLots += await db.transaction(async (tx) => {
      await lockOwner(tx, owner);
      const rows = await tx
        .select()
        .from(lots)
        .where(and(ownedBy(lots, owner), gt(lots.remaining, 0), lte(lots.expiresAt, now)));
      await writeEntries(
        tx,
        owner,
        rows.map((l) => ({ lotId: l.id, type: 'expire' as const, delta: -l.remaining, at: l.expiresAt! })),
      );
      await adjustLots(
        tx,
        rows.map((l) => ({ lotId: l.id, units: l.remaining })),
        -1,
      );
      return rows.length;
    });
  }
  return { releasedHolds, renewals, expiredLots };
}
