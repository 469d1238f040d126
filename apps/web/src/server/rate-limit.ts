/**
 * The remove.bg API's rate limit: megapixel-units a minute per user — not per API key, so creating
 * more keys does not raise it — counted in PostgreSQL (packages/db limits.ts), so every web replica
 * enforces one budget.
 *
 * A call is admitted on one megapixel-unit (the least any call costs) before its body or image is
 * read; once the image is probed its hit is raised to its real cost. A call that fails still
 * counts that one unit (its body was read, perhaps an image downloaded): otherwise failing calls —
 * or calls refused for credits — could be sent without limit.
 */
import type { Db } from '@bgr/db/client';
import { peekLimit, setLimitHitCost, takeLimit, type LimitDecision } from '@bgr/db/queries/limits';
import { webMetrics } from './metrics/registry';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix time (seconds) when the oldest counted call leaves the window. */
  resetAt: number;
}

export const API_RATE_WINDOW_MS = 60_000;

export function apiRateBucket(userId: string): string {
  return `api:user:${userId}`;
}

/** Admits a call on one megapixel-unit, or says when to retry. */
export async function takeApiRate(db: Db, userId: string, limit: number): Promise<LimitDecision> {
  const decision = await takeLimit(db, { bucket: apiRateBucket(userId), limit, windowMs: API_RATE_WINDOW_MS, cost: 1 });
  if (!decision.ok) webMetrics().rateLimitRefusals.inc({ limit: 'api' });
  return decision;
}

/** The state without taking anything (headers on other answers). */
export async function peekApiRate(db: Db, userId: string, limit: number): Promise<RateLimitState> {
  const {
    limit: l,
    remaining,
    resetAt,
  } = await peekLimit(db, { bucket: apiRateBucket(userId), limit, windowMs: API_RATE_WINDOW_MS });
  return { limit: l, remaining, resetAt };
}

/** The admitted call's real cost, once its image is probed. */
export function chargeApiRate(db: Db, hitId: string, megapixelUnits: number): Promise<void> {
  return setLimitHitCost(db, hitId, megapixelUnits);
}

/** A failed call counts one megapixel-unit, whatever its image would have cost. */
export function settleFailedApiRate(db: Db, hitId: string): Promise<void> {
  return setLimitHitCost(db, hitId, 1);
}

/** Megapixel-units of one call: max(1, ⌈MP⌉). */
export function megapixelUnits(width: number, height: number): number {
  return Math.max(1, Math.ceil((width * height) / 1_000_000));
}
