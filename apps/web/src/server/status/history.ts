/**
 * The last 24 hours of recorded checks for the public /status page, one entry per clock hour
 * (UTC), each the worst check recorded in it. Read at most every HISTORY_CACHE_MS per process, so
 * page views cannot load the database; null while the database cannot be read.
 */
import { getDb } from '@bgr/db/client';
import { type HourOfChecks, statusHistory } from '@bgr/db/queries/operations';

export const HISTORY_CACHE_MS = 30_000;

const KEY = Symbol.for('bgr.web.statusHistory');
type WithHistory = typeof globalThis & { [KEY]?: { at: number; hours: HourOfChecks[] } };

export async function recentHistory(now: number = Date.now()): Promise<HourOfChecks[] | null> {
  const g = globalThis as WithHistory;
  const cached = g[KEY];
  if (cached && now - cached.at < HISTORY_CACHE_MS) return cached.hours;
  try {
    const hours = await statusHistory(await getDb(), { now: new Date(now), hours: 24 });
    g[KEY] = { at: now, hours };
    return hours;
  } catch {
    return null;
  }
}
