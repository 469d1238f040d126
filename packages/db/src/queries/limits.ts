/**
 * Rate limits and throttles counted in the database, so every web replica enforces one budget.
 *
 * A sliding window per bucket: a hit is a row (bucket, cost, at); a bucket's use is the sum of its
 * costs inside the window. `takeLimit` checks and records under a transaction-scoped advisory lock
 * on the bucket, so concurrent callers on any replica cannot all slip under the limit. A caller
 * that must not count a failed operation cancels its hit (`cancelLimitHit`); a throttle that
 * counts only failures records with `recordLimitHit` and asks with `peekLimit`.
 */
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { limitHits } from '../schema';

export interface LimitSpec {
  /** Names the limit and its subject, e.g. `api:user:<id>` or `signin:email:<address>`. */
  bucket: string;
  /** Total cost allowed inside one window. */
  limit: number;
  windowMs: number;
  now?: Date;
}

export interface LimitState {
  limit: number;
  remaining: number;
  /** Unix time (seconds) when the oldest counted hit leaves the window. */
  resetAt: number;
}

export type LimitDecision =
  | ({ ok: true; hitId: string } & LimitState)
  | ({ ok: false; retryAfterSeconds: number } & LimitState);

interface Hit {
  cost: number;
  at: Date;
}

async function liveHits(db: Db, spec: LimitSpec, now: Date): Promise<Hit[]> {
  return db
    .select({ cost: limitHits.cost, at: limitHits.at })
    .from(limitHits)
    .where(and(eq(limitHits.bucket, spec.bucket), gt(limitHits.at, new Date(now.getTime() - spec.windowMs))))
    .orderBy(limitHits.at);
}

function stateOf(hits: Hit[], spec: LimitSpec, now: Date): LimitState {
  const used = hits.reduce((s, h) => s + h.cost, 0);
  const oldest = hits[0]?.at.getTime() ?? now.getTime();
  return {
    limit: spec.limit,
    remaining: Math.max(0, spec.limit - used),
    resetAt: Math.ceil((oldest + spec.windowMs) / 1000),
  };
}

/** Seconds until enough of the oldest hits leave the window for `cost` more to fit. */
function retryAfter(hits: Hit[], spec: LimitSpec, cost: number, now: Date): number {
  const used = hits.reduce((s, h) => s + h.cost, 0);
  let freed = 0;
  let until = now.getTime();
  for (const h of hits) {
    freed += h.cost;
    until = h.at.getTime() + spec.windowMs;
    if (used - freed + cost <= spec.limit) break;
  }
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/**
 * Records `cost` in the bucket if it fits. A single hit larger than the whole limit still passes
 * in an empty window (one big call is allowed, then the window must drain).
 */
export async function takeLimit(db: Db, spec: LimitSpec & { cost?: number }): Promise<LimitDecision> {
  const now = spec.now ?? new Date();
  const cost = spec.cost ?? 1;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${spec.bucket}, 0))`);
    const hits = await liveHits(tx, spec, now);
    const used = hits.reduce((s, h) => s + h.cost, 0);
    if (hits.length > 0 && used + cost > spec.limit) {
      return { ok: false as const, retryAfterSeconds: retryAfter(hits, spec, cost, now), ...stateOf(hits, spec, now) };
    }
    const [row] = await tx
      .insert(limitHits)
      .values({ bucket: spec.bucket, cost, at: now })
      .returning({ id: limitHits.id });
    return { ok: true as const, hitId: row!.id, ...stateOf([...hits, { cost, at: now }], spec, now) };
  });
}

/** Records a hit unconditionally (e.g. a failed sign-in); returns the state after it. */
export async function recordLimitHit(db: Db, spec: LimitSpec & { cost?: number }): Promise<LimitState> {
  const now = spec.now ?? new Date();
  const cost = spec.cost ?? 1;
  await db.insert(limitHits).values({ bucket: spec.bucket, cost, at: now });
  return stateOf(await liveHits(db, spec, now), spec, now);
}

/**
 * The bucket's state without recording anything; `ok: false` when it is already full
 * (no room for one more hit of `cost`, default 1).
 */
export async function peekLimit(
  db: Db,
  spec: LimitSpec & { cost?: number },
): Promise<LimitState & { ok: boolean; retryAfterSeconds: number }> {
  const now = spec.now ?? new Date();
  const cost = spec.cost ?? 1;
  const hits = await liveHits(db, spec, now);
  const used = hits.reduce((s, h) => s + h.cost, 0);
  const ok = hits.length === 0 || used + cost <= spec.limit;
  return { ok, retryAfterSeconds: ok ? 0 : retryAfter(hits, spec, cost, now), ...stateOf(hits, spec, now) };
}

/** Takes a hit back (the operation it counted failed and must not count). */
export async function cancelLimitHit(db: Db, hitId: string): Promise<void> {
  await db.delete(limitHits).where(eq(limitHits.id, hitId));
}

/** Forgets a bucket's hits (e.g. failed sign-ins after a successful one). */
export async function clearLimit(db: Db, bucket: string): Promise<void> {
  await db.delete(limitHits).where(eq(limitHits.bucket, bucket));
}

/** Deletes hits older than `before` (run by the scheduler; no window is longer than a day). */
export async function pruneLimitHits(db: Db, before: Date): Promise<number> {
  const rows = await db.delete(limitHits).where(lt(limitHits.at, before)).returning({ id: limitHits.id });
  return rows.length;
}

/**
 * Sets a recorded hit's cost once it is known (an API call takes one megapixel-unit up front, its
 * real size after the image is probed). The call is already admitted; the window then drains longer.
 */
export async function setLimitHitCost(db: Db, hitId: string, cost: number): Promise<void> {
  if (!Number.isSafeInteger(cost) || cost <= 0)
    throw new Error(`A limit hit costs a positive whole number, got ${cost}.`);
  await db.update(limitHits).set({ cost }).where(eq(limitHits.id, hitId));
}
