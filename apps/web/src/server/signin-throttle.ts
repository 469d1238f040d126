/**
 * Password sign-in throttling: at most 10 failed attempts per email address and per client
 * address in 15 minutes, counted in PostgreSQL (limits.ts) so every web replica shares the count.
 *
 * Each attempt takes a slot in both buckets before the password is checked (under the bucket's
 * lock, so concurrent guesses cannot all slip in under the limit); a correct password gives its
 * slots back and forgets the email's earlier failures. So only failures count. The address bucket
 * is not forgotten on success: signing in to one's own account must not reset the budget for
 * guessing others'.
 */
import type { Db } from '@bgr/db/client';
import { cancelLimitHit, clearLimit, takeLimit } from '@bgr/db/queries/limits';
import { webMetrics } from './metrics/registry';

export const SIGNIN_FAILURE_LIMIT = 10;
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000;

const emailBucket = (email: string) => `signin:email:${email}`;
const addressBucket = (address: string) => `signin:addr:${address}`;

/** An attempt under way: call `succeeded()` when the password was right; a failure needs nothing. */
export type SignInAttempt = { ok: true; succeeded(): Promise<void> } | { ok: false; retryAfterSeconds: number };

/** Starts an attempt for `email` (normalised) from `address`, or says it is throttled. */
export async function beginSignInAttempt(db: Db, email: string, address: string): Promise<SignInAttempt> {
  const spec = { limit: SIGNIN_FAILURE_LIMIT, windowMs: SIGNIN_WINDOW_MS };
  const byEmail = await takeLimit(db, { ...spec, bucket: emailBucket(email) });
  if (!byEmail.ok) {
    webMetrics().rateLimitRefusals.inc({ limit: 'signin_email' });
    return { ok: false, retryAfterSeconds: byEmail.retryAfterSeconds };
  }
  const byAddress = await takeLimit(db, { ...spec, bucket: addressBucket(address) });
  if (!byAddress.ok) {
    webMetrics().rateLimitRefusals.inc({ limit: 'signin_address' });
    await cancelLimitHit(db, byEmail.hitId);
    return { ok: false, retryAfterSeconds: byAddress.retryAfterSeconds };
  }
  return {
    ok: true,
    async succeeded() {
      await cancelLimitHit(db, byAddress.hitId);
      await clearLimit(db, emailBucket(email));
    },
  };
}
