/**
 * The improvement page's range form: Download is judged by the dates as typed (the rule the export
 * route checks, lib/day-range.ts), not by the range the page was loaded with — off with the
 * sentence under it while the start is after the end or a date is not one; an empty list turns it
 * off only for the range listed. Drawn with the dates the export sends a browser back with, the
 * form shows them and the sentence.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { downloadState, ImprovementRangeForm } from '~/components/admin/ImprovementRangeForm';
import type { DayRange } from '~/lib/day-range';

const AFTER_END =
  'The start date (2026-11-05) is after the end date (2026-11-01); choose a start on or before the end.';
/** The Download button's opening tag. */
const zipButton = (html: string) => /<button[^>]*data-testid="export-zip"[^>]*>/.exec(html)?.[0] ?? '';
const listed: DayRange = { from: '2026-11-01', to: '2026-11-30' };

describe('downloadState', () => {
  it('follows the typed dates, not the listed range', () => {
    // The page lists a good range with images, and a start after the end is typed: off, with the sentence.
    expect(downloadState({ from: '2026-11-05', to: '2026-11-01' }, listed, 12)).toEqual({
      disabled: true,
      error: AFTER_END,
    });
    expect(downloadState({ from: '2026-11-31', to: '' }, listed, 12)).toEqual({
      disabled: true,
      error: 'The start date "2026-11-31" is not a date; write it as YYYY-MM-DD, such as 2026-11-01.',
    });
    // The page lists a bad range (so everything), and good dates are typed: on.
    expect(downloadState({ from: '2026-11-01', to: '2026-11-02' }, { from: null, to: null }, 12)).toEqual({
      disabled: false,
      error: null,
    });
    expect(downloadState({ from: '', to: '' }, listed, 12)).toEqual({ disabled: false, error: null });
  });

  it('is off for an empty list only while the typed dates are the listed range', () => {
    expect(downloadState({ from: '2026-11-01', to: '2026-11-30' }, listed, 0)).toEqual({ disabled: true, error: null });
    expect(downloadState({ from: '2026-10-01', to: '2026-11-30' }, listed, 0)).toEqual({
      disabled: false,
      error: null,
    });
  });
});

describe('ImprovementRangeForm', () => {
  const render = (initial: { from: string; to: string }, range = listed) =>
    renderToStaticMarkup(createElement(ImprovementRangeForm, { initial, listed: range, total: 3 }));

  it('shows the dates it was sent back with, Download off and the sentence under it', () => {
    const html = render({ from: '2026-11-05', to: '2026-11-01' }, { from: null, to: null });
    expect(html).toContain('name="from" value="2026-11-05"');
    expect(html).toContain('name="to" value="2026-11-01"');
    expect(zipButton(html)).toContain(' disabled=""');
    expect(html).toContain(`role="alert" data-testid="export-range-error">${AFTER_END}</p>`);
  });

  it('leaves Download on and says nothing for a good range', () => {
    const html = render({ from: '2026-11-01', to: '2026-11-30' });
    expect(zipButton(html)).toContain('formAction="/admin/improvements/export"');
    expect(zipButton(html)).not.toContain('disabled');
    expect(html).not.toContain('export-range-error');
  });
});
