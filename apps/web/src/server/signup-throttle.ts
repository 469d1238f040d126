/**
 * Self-service sign-up throttling: at most SIGNUP_LIMIT_PER_HOUR sign-ups (60 unless set) per client
 * address in an hour, counted in PostgreSQL (limits.ts) so every web replica shares the count. Each sign-up hashes
 * a password (argon2, on purpose slow) and may create an account, and anyone may call it: without a
 * bound one client could keep the server hashing and fill the users table. Every attempt counts,
 * new address or taken, so the answer still says nothing about which addresses have accounts.
 */
import type { Db } from '@bgr/db/client';
import { takeLimit } from '@bgr/db/queries/limits';
import { env } from '~/env';
import { clientAddress } from './client-address';
import { AppError } from './errors/app-error';

export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;

/** The client address of a request known only by its headers (a tRPC call's context). */
export function addressFromHeaders(headers: Headers): string {
  return clientAddress(new Request('http://local.invalid/', { headers }), env().trustedProxies);
}

/** Counts one sign-up from `address`, or throws a 429 AppError with the sentence and Retry-After. */
export async function takeSignUpSlot(db: Db, address: string, now?: Date): Promise<void> {
  const d = await takeLimit(db, {
    bucket: `signup:addr:${address}`,
    limit: env().signupLimitPerHour,
    windowMs: SIGNUP_WINDOW_MS,
    ...(now ? { now } : {}),
  });
  if (d.ok) return;
  const minutes = Math.max(1, Math.ceil(d.retryAfterSeconds / 60));
  throw new AppError(
    'rate_limit_exceeded',
    `Too many accounts have been signed up from your network in the last hour. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    429,
    { 'Retry-After': String(d.retryAfterSeconds) },
  );
}
