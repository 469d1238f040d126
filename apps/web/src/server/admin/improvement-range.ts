/**
 * The date range an administrator may put on the improvement export (and on the page's count),
 * so images older than the newest the caps hold can be exported too. Both ends are whole UTC days
 * written YYYY-MM-DD (what a date input sends), both optional: `from` counts from the start of
 * its day, `to` up to the end of its day. Checked here, once, for the export route and the admin
 * procedures; what is wrong is said in a sentence.
 */
import type { CreatedRange } from '@bgr/db/queries/admin';

/** A checked range: each end a real YYYY-MM-DD day, or null when open. */
export type DayRange = { from: string | null; to: string | null };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function dayStart(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Date.UTC rolls 2026-02-30 over to March; a day that does not exist is refused.
  return at.toISOString().slice(0, 10) === day ? at : null;
}

/**
 * Checks `from` and `to` (absent or empty: open). Returns the range, or the sentence saying what
 * is wrong with it.
 */
export function parseDayRange(input: {
  from?: string | null;
  to?: string | null;
}): { ok: true; range: DayRange } | { ok: false; error: string } {
  const from = input.from?.trim() || null;
  const to = input.to?.trim() || null;
  if (from !== null && !dayStart(from))
    return { ok: false, error: `The start date "${from}" is not a date; write it as YYYY-MM-DD, such as 2026-11-01.` };
  if (to !== null && !dayStart(to))
    return { ok: false, error: `The end date "${to}" is not a date; write it as YYYY-MM-DD, such as 2026-11-30.` };
  if (from !== null && to !== null && from > to)
    return {
      ok: false,
      error: `The start date (${from}) is after the end date (${to}); choose a start on or before the end.`,
    };
  return { ok: true, range: { from, to } };
}

/** The range as the database query takes it: from the start of `from` to the start of the day after `to`. */
export function createdRange(range: DayRange): CreatedRange {
  return {
    ...(range.from ? { from: dayStart(range.from)! } : {}),
    ...(range.to ? { before: new Date(dayStart(range.to)!.getTime() + DAY_MS) } : {}),
  };
}

/** The range in words for the sentences that mention it ("from 2026-11-01 to 2026-11-03 (UTC)"); null when open. */
export function dayRangeText(range: DayRange): string | null {
  if (range.from && range.to)
    return range.from === range.to ? `on ${range.from} (UTC)` : `from ${range.from} to ${range.to} (UTC)`;
  if (range.from) return `from ${range.from} on (UTC)`;
  if (range.to) return `up to ${range.to} (UTC)`;
  return null;
}
