'use client';
/**
 * The improvement page's From and To dates with its Show and Download buttons. Download is judged
 * by the dates as they are typed, not by the range the page was loaded with: while they are not a
 * range (lib/day-range.ts, the rule the export route checks too), Download is off and the sentence
 * saying why is under it, so a start after the end never reaches the export. Show reloads the
 * page with the dates; Download sends the same dates to the export.
 */
import { useState } from 'react';
import { type DayRange, parseDayRange } from '~/lib/day-range';
import account from '../dashboard/account.module.css';
import { Field } from './form-parts';

type Typed = { from: string; to: string };

/**
 * Whether Download is off for the `typed` dates, and the sentence when the dates are why. `listed`
 * is the range the page lists and `total` its count: an empty list turns Download off only while
 * the typed dates are that range (for other dates the count is not known until Show).
 */
export function downloadState(
  typed: Typed,
  listed: DayRange,
  total: number,
): { disabled: boolean; error: string | null } {
  const parsed = parseDayRange(typed);
  if (!parsed.ok) return { disabled: true, error: parsed.error };
  const same = parsed.range.from === listed.from && parsed.range.to === listed.to;
  return { disabled: same && total === 0, error: null };
}

export function ImprovementRangeForm({ initial, listed, total }: { initial: Typed; listed: DayRange; total: number }) {
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const { disabled, error } = downloadState({ from, to }, listed, total);
  return (
    <>
      <form className={account.form} method="get" action="/admin/improvements" data-testid="export-range">
        <Field
          id="export-from"
          label="From (UTC)"
          type="date"
          name="from"
          value={from}
          onChange={setFrom}
          width="170px"
        />
        <Field id="export-to" label="To (UTC)" type="date" name="to" value={to} onChange={setTo} width="170px" />
        <div className={account.actions}>
          <button type="submit" className="bgr-btn bgr-btn--secondary bgr-btn--sm" data-testid="export-range-show">
            Show
          </button>
          <button
            type="submit"
            formAction="/admin/improvements/export"
            className="bgr-btn bgr-btn--primary bgr-btn--sm"
            data-testid="export-zip"
            disabled={disabled}
            aria-describedby={error ? 'export-range-error' : undefined}
          >
            Download as ZIP
          </button>
        </div>
      </form>
      {error ? (
        <p id="export-range-error" className={account.error} role="alert" data-testid="export-range-error">
          {error}
        </p>
      ) : null}
    </>
  );
}
