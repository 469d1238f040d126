/**
 * The two backend checks behind the status: the database answers `select 1`, and storage takes a
 * write of one small fixed object (what uploads need; a read-only or missing bucket fails it,
 * where a HEAD of a missing key would pass). The status cache bounds this to one write per
 * replica every few seconds. Each check is bounded
 * by CHECK_TIMEOUT_MS, so a hung backend reads as down rather than holding the status page, and
 * reports its latency for the admin System page.
 */
import type { Db } from '@bgr/db/client';
import { pingDb } from '@bgr/db/queries/health';
import { getStorage } from '../storage/index';

export const CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  up: boolean;
  latencyMs: number;
  /** Why it is down, in a sentence for administrators (never shown on the public page). */
  error?: string;
}

/** Runs `probe` with a time limit and measures it. */
export async function timedCheck(probe: () => Promise<unknown>, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`No answer within ${timeoutMs / 1000} s.`)), timeoutMs);
        timer.unref();
      }),
    ]);
    return { up: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      up: false,
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** `db` opens (or returns) the database: opening it counts as part of the check. */
export function checkDatabase(db: () => Promise<Db>): Promise<CheckResult> {
  return timedCheck(async () => pingDb(await db()));
}

/** The one object the check overwrites (a few bytes; nothing reads it). */
const PROBE_KEY = 'status/probe';

export function checkStorage(): Promise<CheckResult> {
  return timedCheck(() => getStorage().put(PROBE_KEY, Buffer.from(new Date().toISOString())));
}
