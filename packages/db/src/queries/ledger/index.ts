import { and, asc, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import {
  cancelAtPeriodEnd,
  changePlan as planChange,
  nextRenewal,
  grantExpiryProblem,
  paygExpiry,
  planDrawDown,
  planReturn,
  projectRenewals,
  splitAllocations,
  startSubscription as planStart,
  summarizeLots,
  type Lot,
  type LotKind,
  type PeriodTransition,
  type Subscription,
  type Take,
} from '@bgr/credits';
import type { Db } from '../../client';
import { DEFAULT_HOLD_TIMEOUT_MIN } from '../../env';
import {
  holds,
  ledgerEntries,
  lots,
  subscriptions,
  users,
  type EntryType,
  type HoldRow,
  type LotRow,
  type SubscriptionRow,
} from '../../schema';

/**
 * The credit ledger. Every writer runs one short transaction that first takes the per-user row lock
 * (`SELECT … FROM users FOR UPDATE`) and applies that user's due renewals, so all writers for a user
 * are serialised and see the same period. The rules (prices, order, rollover, expiry) come from
 * @bgr/credits; this file only persists their decisions. Entries are append-only; `lots.remaining`
 * caches Σ entries − active hold allocations, which reconcile() checks.
 */

export type LedgerErrorCode =
  | 'user_not_found'
  | 'invalid_units'
  | 'invalid_key'
  | 'invalid_expiry'
  | 'hold_not_found'
  | 'hold_released'
  | 'hold_captured'
  | 'no_subscription'
  | 'subscription_exists';

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

export type Hold = HoldRow;
export type ReserveResult =
  | { ok: true; hold: Hold /** true when the key had been used before: nothing new was reserved. */; replayed: boolean }
  | { ok: false; reason: 'insufficient'; available: number };

function assertUnits(units: number, allowZero: boolean): void {
  if (!Number.isSafeInteger(units) || units < 0 || (!allowZero && units === 0)) {
    throw new LedgerError(
      'invalid_units',
      `The amount must be a ${allowZero ? 'non-negative' : 'positive'} whole number of units, got ${units}.`,
    );
  }
}

// ---------------------------------------------------------------- helpers (inside a transaction)

async function lockUser(tx: Db, userId: string): Promise<void> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new LedgerError('user_not_found', 'No such user.');
}

function toLot(row: LotRow): Lot {
  return {
    id: row.id,
    kind: row.kind,
    amount: row.amount,
    remaining: row.remaining,
    effectiveAt: row.effectiveAt,
    expiresAt: row.expiresAt,
  };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    monthlyUnits: row.monthlyUnits,
    anchorAt: row.anchorAt,
    periodIndex: row.periodIndex,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    status: row.status,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
  };
}

/** Lots that can still matter: with units left, or subscription lots of a period not yet over. */
async function loadLots(tx: Db, userId: string, now: Date): Promise<Lot[]> {
  const rows = await tx
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.userId, userId),
        or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
      ),
    );
  return rows.map(toLot);
}

async function activeSubscription(tx: Db, userId: string): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active')));
  return row ?? null;
}

async function adjustLots(tx: Db, takes: readonly Take[], sign: 1 | -1): Promise<void> {
  for (const t of takes) {
    await tx
      .update(lots)
      .set({ remaining: sql`${lots.remaining} + ${sign * t.units}` })
      .where(eq(lots.id, t.lotId));
  }
}

interface EntryDraft {
  lotId: string;
  type: EntryType;
  delta: number;
  at: Date;
  holdId?: string | null;
  note?: string | null;
  actorId?: string | null;
}

async function writeEntries(tx: Db, userId: string, drafts: EntryDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await tx.insert(ledgerEntries).values(
    drafts.map((d) => ({
      userId,
      lotId: d.lotId,
      type: d.type,
      delta: d.delta,
      at: d.at,
      holdId: d.holdId ?? null,
      note: d.note ?? null,
      actorId: d.actorId ?? null,
    })),
  );
}

async function insertLot(
  tx: Db,
  userId: string,
  draft: { kind: LotKind; amount: number; effectiveAt: Date; expiresAt: Date | null },
  entry: { type: EntryType; note?: string | null; actorId?: string | null },
  subscriptionId: string | null,
): Promise<LotRow> {
  const [row] = await tx
    .insert(lots)
    .values({
      userId,
      kind: draft.kind,
      amount: draft.amount,
      remaining: draft.amount,
      effectiveAt: draft.effectiveAt,
      expiresAt: draft.expiresAt,
      subscriptionId,
      note: entry.note ?? null,
    })
    .returning();
  await writeEntries(tx, userId, [
    {
      lotId: row!.id,
      type: entry.type,
      delta: draft.amount,
      at: draft.effectiveAt,
      note: entry.note,
      actorId: entry.actorId,
    },
  ]);
  return row!;
}

/** Persists a renewal, end or plan change decided by @bgr/credits. */
async function persistTransition(
  tx: Db,
  userId: string,
  subscriptionId: string,
  t: PeriodTransition,
  actorId?: string | null,
): Promise<void> {
  await writeEntries(tx, userId, [
    ...t.carry.map((c) => ({ lotId: c.lotId, type: 'carry' as const, delta: -c.units, at: t.at, actorId })),
    ...t.expire.map((e) => ({ lotId: e.lotId, type: 'expire' as const, delta: -e.units, at: t.at, actorId })),
  ]);
  await adjustLots(tx, [...t.carry, ...t.expire], -1);
  if (t.closeLotIds.length > 0) await tx.update(lots).set({ expiresAt: t.at }).where(inArray(lots.id, t.closeLotIds));
  for (const draft of t.newLots) {
    await insertLot(
      tx,
      userId,
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

/** Applies every renewal due at `now` for a locked user, in order. Returns how many. */
async function applyDueRenewals(tx: Db, userId: string, now: Date): Promise<number> {
  const row = await activeSubscription(tx, userId);
  if (!row || row.periodEnd.getTime() > now.getTime()) return 0;
  let sub = toSubscription(row);
  let count = 0;
  for (;;) {
    const t = nextRenewal(sub, await loadLots(tx, userId, now), now);
    if (!t) return count;
    await persistTransition(tx, userId, row.id, t);
    sub = t.subscription;
    count++;
  }
}

/**
 * Runs `fn` in a short transaction holding the user's row lock, after applying due renewals.
 * Exported for charge.ts (the one charging path), which reserves and records its idempotency key
 * in one transaction.
 */
export function withUserLock<T>(db: Db, userId: string, now: Date, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    await applyDueRenewals(tx, userId, now);
    return fn(tx);
  });
}

// ---------------------------------------------------------------- holds

/**
 * Reserves `units` for one operation under a hold key (scoped to the user). The same key
 * returns the same hold, whatever its status, and reserves nothing more. Web and API code reserve
 * through withCharge (charge.ts), never directly.
 */
export async function reserve(
  db: Db,
  input: { userId: string; units: number; key: string; now?: Date },
): Promise<ReserveResult> {
  const now = input.now ?? new Date();
  assertUnits(input.units, true);
  assertKey(input.key);
  return db.transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const [existing] = await tx
      .select()
      .from(holds)
      .where(and(eq(holds.userId, input.userId), eq(holds.key, input.key)));
    if (existing) return { ok: true as const, hold: existing, replayed: true };
    await applyDueRenewals(tx, input.userId, now);
    return reserveLocked(tx, { ...input, now });
  });
}

function assertKey(key: string): void {
  if (!key || key.length > 255)
    throw new LedgerError('invalid_key', 'The idempotency key must be 1 to 255 characters.');
}

/** The reservation itself, inside withUserLock (renewals applied); the key must be new. */
export async function reserveLocked(
  tx: Db,
  input: { userId: string; units: number; key: string; now: Date },
): Promise<ReserveResult> {
  assertUnits(input.units, true);
  assertKey(input.key);
  const plan = planDrawDown(await loadLots(tx, input.userId, input.now), input.units, input.now);
  if (!plan.ok) return plan;
  await adjustLots(tx, plan.takes, -1);
  const [hold] = await tx
    .insert(holds)
    .values({
      userId: input.userId,
      key: input.key,
      units: input.units,
      allocations: plan.takes,
      status: 'held',
      createdAt: input.now,
    })
    .returning();
  return { ok: true as const, hold: hold!, replayed: false };
}

async function settleHold(db: Db, holdId: string, now: Date, fn: (tx: Db, hold: Hold) => Promise<Hold>): Promise<Hold> {
  const [found] = await db.select({ userId: holds.userId }).from(holds).where(eq(holds.id, holdId));
  if (!found) throw new LedgerError('hold_not_found', 'No such hold.');
  return withUserLock(db, found.userId, now, async (tx) => {
    const [hold] = await tx.select().from(holds).where(eq(holds.id, holdId));
    return fn(tx, hold!);
  });
}

/**
 * Charges a hold. `units` (default: all) may be less than was held — e.g. size=auto turned out to be
 * a preview — and the rest goes back to the lots it came from. Capturing twice is harmless;
 * capturing a released hold fails.
 */
export function capture(db: Db, input: { holdId: string; units?: number; now?: Date }): Promise<Hold> {
  const now = input.now ?? new Date();
  if (input.units !== undefined) assertUnits(input.units, true);
  return settleHold(db, input.holdId, now, async (tx, hold) => {
    if (hold.status === 'captured') return hold;
    if (hold.status === 'released')
      throw new LedgerError('hold_released', 'This hold was released and can no longer be charged.');
    const units = input.units ?? hold.units;
    if (units > hold.units)
      throw new LedgerError('invalid_units', `Cannot capture ${units} units from a hold of ${hold.units}.`);
    const { charged, returned } = splitAllocations(hold.allocations, units);
    await writeEntries(
      tx,
      hold.userId,
      charged.map((c) => ({ lotId: c.lotId, type: 'charge' as const, delta: -c.units, at: now, holdId: hold.id })),
    );
    await giveBack(tx, hold, returned, now);
    const [row] = await tx
      .update(holds)
      .set({ status: 'captured', capturedUnits: units, settledAt: now })
      .where(eq(holds.id, hold.id))
      .returning();
    return row!;
  });
}

/**
 * Units back from a hold (released, or the uncharged rest of a capture). A lot whose period closed
 * while the hold was open does not get them back: they carry into the current period (up to the
 * rollover cap) or expire, as the renewal would have done (planReturn in @bgr/credits).
 */
async function giveBack(tx: Db, hold: Hold, returned: readonly Take[], now: Date): Promise<void> {
  if (returned.length === 0) return;
  const ids = [...new Set(returned.map((r) => r.lotId))];
  const known = new Map((await loadLots(tx, hold.userId, now)).map((l) => [l.id, l]));
  for (const row of await tx.select().from(lots).where(inArray(lots.id, ids))) known.set(row.id, toLot(row));
  const sub = await activeSubscription(tx, hold.userId);
  const plan = planReturn(returned, [...known.values()], sub ? toSubscription(sub) : null, now);
  await adjustLots(tx, plan.restore, 1);
  await writeEntries(tx, hold.userId, [
    ...plan.carry.map((c) => ({ lotId: c.lotId, type: 'carry' as const, delta: -c.units, at: now, holdId: hold.id })),
    ...plan.expire.map((e) => ({ lotId: e.lotId, type: 'expire' as const, delta: -e.units, at: now, holdId: hold.id })),
  ]);
  if (plan.rollover)
    await insertLot(
      tx,
      hold.userId,
      plan.rollover,
      { type: 'rollover', note: 'carried from a hold open across a renewal' },
      sub!.id,
    );
}

async function releaseHeld(tx: Db, hold: Hold, now: Date): Promise<Hold> {
  await giveBack(tx, hold, hold.allocations, now);
  const [row] = await tx
    .update(holds)
    .set({ status: 'released', settledAt: now })
    .where(eq(holds.id, hold.id))
    .returning();
  return row!;
}

/** Gives a hold's units back to exactly the lots they came from. Releasing twice is harmless. */
export function release(db: Db, input: { holdId: string; now?: Date }): Promise<Hold> {
  const now = input.now ?? new Date();
  return settleHold(db, input.holdId, now, async (tx, hold) => {
    if (hold.status === 'released') return hold;
    if (hold.status === 'captured')
      throw new LedgerError('hold_captured', 'This hold was already charged and cannot be released.');
    return releaseHeld(tx, hold, now);
  });
}

export async function getHold(db: Db, holdId: string): Promise<Hold | null> {
  const [row] = await db.select().from(holds).where(eq(holds.id, holdId));
  return row ?? null;
}

export async function findHold(db: Db, input: { userId: string; key: string }): Promise<Hold | null> {
  const [row] = await db
    .select()
    .from(holds)
    .where(and(eq(holds.userId, input.userId), eq(holds.key, input.key)));
  return row ?? null;
}

// ---------------------------------------------------------------- grants and corrections

/** Adds credits: PAYG (expires two calendar years later) or promo (expiry chosen by the admin, or none). */
export async function grant(
  db: Db,
  input: {
    userId: string;
    units: number;
    kind: 'payg' | 'promo';
    expiresAt?: Date | null;
    note?: string | null;
    actorId?: string | null;
    now?: Date;
  },
): Promise<LotRow> {
  const now = input.now ?? new Date();
  assertUnits(input.units, false);
  if (input.kind !== 'payg' && input.kind !== 'promo') {
    throw new LedgerError('invalid_units', `Credits can be granted as payg or promo, not ${String(input.kind)}.`);
  }
  const problem = grantExpiryProblem(input.kind, input.expiresAt, now);
  if (problem) throw new LedgerError('invalid_expiry', problem);
  const expiresAt = input.kind === 'payg' ? paygExpiry(now) : (input.expiresAt ?? null);
  return withUserLock(db, input.userId, now, (tx) =>
    insertLot(
      tx,
      input.userId,
      { kind: input.kind, amount: input.units, effectiveAt: now, expiresAt },
      { type: 'grant', note: input.note, actorId: input.actorId },
      null,
    ),
  );
}

/** A correction that takes credits like a charge (same draw-down order, no overdraft). */
export function debit(
  db: Db,
  input: { userId: string; units: number; note?: string | null; actorId?: string | null; now?: Date },
): Promise<{ ok: true; takes: Take[] } | { ok: false; reason: 'insufficient'; available: number }> {
  const now = input.now ?? new Date();
  assertUnits(input.units, false);
  return withUserLock(db, input.userId, now, async (tx) => {
    const plan = planDrawDown(await loadLots(tx, input.userId, now), input.units, now);
    if (!plan.ok) return plan;
    await writeEntries(
      tx,
      input.userId,
      plan.takes.map((t) => ({
        lotId: t.lotId,
        type: 'debit' as const,
        delta: -t.units,
        at: now,
        note: input.note,
        actorId: input.actorId,
      })),
    );
    await adjustLots(tx, plan.takes, -1);
    return { ok: true as const, takes: plan.takes };
  });
}

// ---------------------------------------------------------------- subscriptions

export function startSubscription(
  db: Db,
  input: { userId: string; monthlyUnits: number; actorId?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  return withUserLock(db, input.userId, now, async (tx) => {
    if (await activeSubscription(tx, input.userId))
      throw new LedgerError('subscription_exists', 'This user already has a subscription; change its plan instead.');
    const { subscription: s, newLots } = planStart(input.monthlyUnits, now);
    const [row] = await tx
      .insert(subscriptions)
      .values({
        userId: input.userId,
        monthlyUnits: s.monthlyUnits,
        anchorAt: s.anchorAt,
        periodIndex: s.periodIndex,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        status: s.status,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      })
      .returning();
    for (const draft of newLots)
      await insertLot(tx, input.userId, draft, { type: 'grant', actorId: input.actorId }, row!.id);
    return row!;
  });
}

async function requireActive(tx: Db, userId: string): Promise<SubscriptionRow> {
  const row = await activeSubscription(tx, userId);
  if (!row) throw new LedgerError('no_subscription', 'This user has no active subscription.');
  return row;
}

/** New plan from now on: carry capped at 5 × the new budget, new budget added, renewals on today's day. */
export function changePlan(
  db: Db,
  input: { userId: string; monthlyUnits: number; actorId?: string | null; now?: Date },
): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  assertUnits(input.monthlyUnits, false);
  return withUserLock(db, input.userId, now, async (tx) => {
    const row = await requireActive(tx, input.userId);
    const t = planChange(toSubscription(row), await loadLots(tx, input.userId, now), input.monthlyUnits, now);
    await persistTransition(tx, input.userId, row.id, t, input.actorId);
    return (await activeSubscription(tx, input.userId))!;
  });
}

/** Keeps the credits until the end of the current period; the renewal at that instant ends it. */
export function cancelSubscription(db: Db, input: { userId: string; now?: Date }): Promise<SubscriptionRow> {
  const now = input.now ?? new Date();
  return withUserLock(db, input.userId, now, async (tx) => {
    const row = await requireActive(tx, input.userId);
    const s = cancelAtPeriodEnd(toSubscription(row));
    const [updated] = await tx
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: s.cancelAtPeriodEnd })
      .where(eq(subscriptions.id, row.id))
      .returning();
    return updated!;
  });
}

export async function getSubscription(db: Db, userId: string): Promise<SubscriptionRow | null> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.userId, userId))
    .orderBy(desc(subscriptions.createdAt))
    .limit(1);
  return row ?? null;
}

// ---------------------------------------------------------------- the periodic job

/**
 * Everything time has made due by `now`: stale holds (a crashed request) released, every renewal
 * applied in order, and expiry entries written for what is left on lots past their expiry (the
 * balance already ignores those at read time; the entries keep the ledger summing up).
 * `holdTimeoutMs` is the process's setting (readDbEnv().holdTimeoutMs, from HOLD_TIMEOUT_MIN);
 * omitted, the default of 15 minutes.
 */
export async function processDue(
  db: Db,
  input: { now?: Date; holdTimeoutMs?: number } = {},
): Promise<{ releasedHolds: number; renewals: number; expiredLots: number }> {
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

  const due = await db
    .selectDistinct({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, 'active'), lte(subscriptions.periodEnd, now)));
  for (const { userId } of due) {
    renewals += await db.transaction(async (tx) => {
      await lockUser(tx, userId);
      return applyDueRenewals(tx, userId, now);
    });
  }

  const expiring = await db
    .selectDistinct({ userId: lots.userId })
    .from(lots)
    .where(and(gt(lots.remaining, 0), lte(lots.expiresAt, now)));
  for (const { userId } of expiring) {
    expiredLots += await db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const rows = await tx
        .select()
        .from(lots)
        .where(and(eq(lots.userId, userId), gt(lots.remaining, 0), lte(lots.expiresAt, now)));
      await writeEntries(
        tx,
        userId,
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

// ---------------------------------------------------------------- reading

export interface Balance {
  totalUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  heldUnits: number;
  nextExpiries: { units: number; kind: LotKind; expiresAt: Date }[];
  subscription: { monthlyUnits: number; periodStart: Date; periodEnd: Date; cancelAtPeriodEnd: boolean } | null;
}

/**
 * What the user can spend at `now`: lots past their expiry are ignored and renewals that are due
 * are counted as a writer would apply them, so the answer never depends on processDue having run.
 */
export function balance(db: Db, input: { userId: string; now?: Date }): Promise<Balance> {
  const now = input.now ?? new Date();
  return db.transaction(
    async (tx) => {
      const subRow = await activeSubscription(tx, input.userId);
      const [held] = await tx
        .select({ units: sql<number>`coalesce(sum(${holds.units}), 0)::int` })
        .from(holds)
        .where(and(eq(holds.userId, input.userId), eq(holds.status, 'held')));
      return toBalance(subRow, await loadLots(tx, input.userId, now), Number(held?.units ?? 0), now);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * balance() for many users at once (the admin's user list): one read snapshot and a fixed three
 * queries (plans, lots, holds) however many users there are. Users without rows get an empty balance.
 */
export function balances(db: Db, input: { userIds: readonly string[]; now?: Date }): Promise<Map<string, Balance>> {
  const now = input.now ?? new Date();
  const ids = [...new Set(input.userIds)];
  if (ids.length === 0) return Promise.resolve(new Map());
  return db.transaction(
    async (tx) => {
      const subRows = await tx
        .select()
        .from(subscriptions)
        .where(and(inArray(subscriptions.userId, ids), eq(subscriptions.status, 'active')));
      const lotRows = await tx
        .select()
        .from(lots)
        .where(
          and(
            inArray(lots.userId, ids),
            or(gt(lots.remaining, 0), and(inArray(lots.kind, ['subscription', 'rollover']), gt(lots.expiresAt, now))),
          ),
        );
      const heldRows = await tx
        .select({ userId: holds.userId, units: sql<number>`coalesce(sum(${holds.units}), 0)::int` })
        .from(holds)
        .where(and(inArray(holds.userId, ids), eq(holds.status, 'held')))
        .groupBy(holds.userId);
      return new Map(
        ids.map((id) => [
          id,
          toBalance(
            subRows.find((r) => r.userId === id) ?? null,
            lotRows.filter((l) => l.userId === id).map(toLot),
            Number(heldRows.find((h) => h.userId === id)?.units ?? 0),
            now,
          ),
        ]),
      );
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** One user's balance from their active plan row, lots and held units: renewals projected as a writer would apply them. */
function toBalance(subRow: SubscriptionRow | null, userLots: Lot[], heldUnits: number, now: Date): Balance {
  let n = 0;
  const projected = projectRenewals(subRow ? toSubscription(subRow) : null, userLots, now, () => `projected-${++n}`);
  const s = projected.subscription;
  return {
    ...summarizeLots(projected.lots, now),
    heldUnits,
    subscription:
      s && s.status === 'active'
        ? {
            monthlyUnits: s.monthlyUnits,
            periodStart: s.periodStart,
            periodEnd: s.periodEnd,
            cancelAtPeriodEnd: s.cancelAtPeriodEnd,
          }
        : null,
  };
}

export interface HistoryEntry {
  id: number;
  at: Date;
  type: EntryType;
  /** Signed change in units. */
  units: number;
  lotId: string;
  lotKind: LotKind;
  holdId: string | null;
  note: string | null;
}

/** The user's entries, newest first. */
export async function history(
  db: Db,
  input: { userId: string; limit?: number; beforeId?: number },
): Promise<HistoryEntry[]> {
  const where =
    input.beforeId === undefined
      ? eq(ledgerEntries.userId, input.userId)
      : and(eq(ledgerEntries.userId, input.userId), sql`${ledgerEntries.id} < ${input.beforeId}`);
  const rows = await db
    .select({
      id: ledgerEntries.id,
      at: ledgerEntries.at,
      type: ledgerEntries.type,
      units: ledgerEntries.delta,
      lotId: ledgerEntries.lotId,
      lotKind: lots.kind,
      holdId: ledgerEntries.holdId,
      note: ledgerEntries.note,
    })
    .from(ledgerEntries)
    .innerJoin(lots, eq(lots.id, ledgerEntries.lotId))
    .where(where)
    .orderBy(desc(ledgerEntries.id))
    .limit(input.limit ?? 100);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface Drift {
  userId: string;
  lotId: string | null;
  holdId: string | null;
  problem: string;
  cachedUnits: number;
  derivedUnits: number;
}

/** Recomputes every lot's balance from its entries and active holds, and every captured hold's charge. */
export function reconcile(db: Db): Promise<{ ok: boolean; lotsChecked: number; holdsChecked: number; drift: Drift[] }> {
  return db.transaction(
    async (tx) => {
      const allLots = await tx.select().from(lots);
      const sums = await tx
        .select({ lotId: ledgerEntries.lotId, total: sql<number>`sum(${ledgerEntries.delta})::int` })
        .from(ledgerEntries)
        .groupBy(ledgerEntries.lotId);
      const allHolds = await tx.select().from(holds);
      const charges = await tx
        .select({ holdId: ledgerEntries.holdId, total: sql<number>`sum(${ledgerEntries.delta})::int` })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.type, 'charge'))
        .groupBy(ledgerEntries.holdId);

      const entryTotal = new Map(sums.map((s) => [s.lotId, Number(s.total)]));
      const heldOnLot = new Map<string, number>();
      for (const h of allHolds) {
        if (h.status !== 'held') continue;
        for (const a of h.allocations) heldOnLot.set(a.lotId, (heldOnLot.get(a.lotId) ?? 0) + a.units);
      }
      const drift: Drift[] = [];
      for (const lot of allLots) {
        const derived = (entryTotal.get(lot.id) ?? 0) - (heldOnLot.get(lot.id) ?? 0);
        if (derived !== lot.remaining)
          drift.push({
            userId: lot.userId,
            lotId: lot.id,
            holdId: null,
            problem: 'lot remaining differs from its entries minus active holds',
            cachedUnits: lot.remaining,
            derivedUnits: derived,
          });
        else if (derived < 0)
          drift.push({
            userId: lot.userId,
            lotId: lot.id,
            holdId: null,
            problem: 'lot balance is negative',
            cachedUnits: lot.remaining,
            derivedUnits: derived,
          });
      }
      const charged = new Map(charges.map((c) => [c.holdId, -Number(c.total)]));
      for (const h of allHolds) {
        const expected = h.status === 'captured' ? (h.capturedUnits ?? 0) : 0;
        const actual = charged.get(h.id) ?? 0;
        if (expected !== actual)
          drift.push({
            userId: h.userId,
            lotId: null,
            holdId: h.id,
            problem: `a ${h.status} hold's charges differ from what it captured`,
            cachedUnits: expected,
            derivedUnits: actual,
          });
      }
      return { ok: drift.length === 0, lotsChecked: allLots.length, holdsChecked: allHolds.length, drift };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
