/**
 * Per-user limits of the web app: uploads and HD renders a minute, counted in PostgreSQL so every
 * replica shares them. Every attempt counts (it costs the server work whether or not it succeeds);
 * a ZIP of several images counts each image. Over the limit: 429 with a sentence and Retry-After.
 */
import type { Db } from '@bgr/db/client';
import { takeLimit } from '@bgr/db/queries/limits';
import { AppError } from './errors/app-error';
import { webMetrics } from './metrics/registry';

export const WEB_QUOTAS = {
  upload: { perMinute: 60, what: 'uploads' },
  hd: { perMinute: 60, what: 'HD renders' },
  /** Previews drawn again with a shadow (free, but each is a render). */
  preview: { perMinute: 120, what: 'preview renders' },
  /** Saved brush edits (free, small; an editor may save after every stroke). */
  edit: { perMinute: 300, what: 'edit saves' },
} as const;

export type WebQuota = keyof typeof WEB_QUOTAS;

export function webQuotaBucket(kind: WebQuota, userId: string): string {
  return `web:${kind}:user:${userId}`;
}

/** Counts `images` (default 1) against the user's per-minute limit, or throws a 429 AppError. */
export async function takeWebQuota(db: Db, userId: string, kind: WebQuota, images = 1, now?: Date): Promise<void> {
  const q = WEB_QUOTAS[kind];
  const d = await takeLimit(db, {
    bucket: webQuotaBucket(kind, userId),
    limit: q.perMinute,
    windowMs: 60_000,
    cost: images,
    ...(now ? { now } : {}),
  });
  if (!d.ok) {
    webMetrics().rateLimitRefusals.inc({ limit: `web_${kind}` });
    throw new AppError(
      'rate_limit_exceeded',
      `You have reached the limit of ${q.perMinute} ${q.what} a minute. Please try again in ${d.retryAfterSeconds} second${d.retryAfterSeconds === 1 ? '' : 's'}.`,
      429,
      { 'Retry-After': String(d.retryAfterSeconds) },
    );
  }
}
