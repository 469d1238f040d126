/**
 * The rule for a range of whole UTC days written YYYY-MM-DD (what a date input sends), both ends
 * optional: each end a day that exists, the start on or before the end. Pure, with no server
 * imports, so the improvement export's route, the admin procedures and the improvements page's
 * form (as people type) check the same rule and say the same sentence; the range as the database
 * query takes it is server/admin/improvement-range.ts's.
 */

/** A checked range: each end a real YYYY-MM-DD day, or null when open. */
export type DayRange = { from: string | null; to: string | null };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The start of `day` (UTC), or null when it is not a YYYY-MM-DD day that exists. */
export function dayStart(day: string): Date | null {
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

/** The range in words for the sentences that mention it ("from 2026-11-01 to 2026-11-03 (UTC)"); null when open. */
export function dayRangeText(range: DayRange): string | null {
  if (range.from && range.to)
    return range.from === range.to ? `on ${range.from} (UTC)` : `from ${range.from} to ${range.to} (UTC)`;
  if (range.from) return `from ${range.from} on (UTC)`;
  if (range.to) return `up to ${range.to} (UTC)`;
  return null;
}
