/**
 * The date range an administrator may put on the improvement export (and on the page's count),
 * so images older than the newest the caps hold can be exported too. Both ends are whole UTC days
 * written YYYY-MM-DD, both optional: `from` counts from the start of its day, `to` up to the end
 * of its day. The rule and its sentences are lib/day-range.ts's (the page's form checks the same
 * one as people type); here, the checked range as the database query takes it.
 */
import type { CreatedRange } from '@bgr/db/queries/admin';
import { type DayRange, dayStart } from '~/lib/day-range';

const DAY_MS = 86_400_000;

/** The range as the database query takes it: from the start of `from` to the start of the day after `to`. */
export function createdRange(range: DayRange): CreatedRange {
  return {
    ...(range.from ? { from: dayStart(range.from)! } : {}),
    ...(range.to ? { before: new Date(dayStart(range.to)!.getTime() + DAY_MS) } : {}),
  };
}
