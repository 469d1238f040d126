/**
 * The usage charts' window: the last N UTC days up to now, today included (N from 1 to 366, 30
 * unless asked). A person's dashboard chart, the admin usage page and a team's per-member chart in
 * the console read the same window; the report queries start it at the UTC day of `since`.
 */
import { z } from 'zod';

/** The days a usage chart covers unless asked for another number. */
export const USAGE_DAYS = 30;
const DAY_MS = 86_400_000;

/** A usage procedure's input: `{ days }`, 1 to 366, 30 when left out. */
export const usageDaysInput = z
  .object({ days: z.number().int().min(1).max(366).default(USAGE_DAYS) })
  .default({ days: USAGE_DAYS });

/** The window of the last `days` days up to `until`: `since` is the same instant `days - 1` days before. */
export function lastDays(days: number, until: Date): { since: Date; until: Date } {
  return { since: new Date(until.getTime() - (days - 1) * DAY_MS), until };
}
