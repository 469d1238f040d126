/**
 * AdminTable, the console's one table markup: column headers (scope="col", numbers marked with the
 * `num` class, columns hidden on narrow screens with `hideSm`), one row per item as the caller draws it, the data-testid the Playwright stories
 * select by, and the sentence in place of the table when there is nothing to list.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AdminTable } from '~/components/admin/AdminTable';
import account from '~/components/dashboard/account.module.css';

type Job = { job: string; runs: number };
const row = (j: Job) =>
  createElement('tr', { key: j.job }, createElement('td', null, j.job), createElement('td', null, j.runs));
const columns = ['Job', { label: 'Runs', num: true }] as const;

describe('AdminTable', () => {
  it('draws the headers, one row per item and the test id', () => {
    const html = renderToStaticMarkup(
      createElement(AdminTable<Job>, {
        columns,
        items: [
          { job: 'status-check', runs: 3 },
          { job: 'expire-lots', runs: 1 },
        ],
        row,
        empty: 'No job has run yet.',
        testId: 'system-scheduler',
      }),
    );
    expect(html).toContain(`<table class="${account.table}" data-testid="system-scheduler">`);
    expect(html).toContain(
      `<thead><tr><th scope="col">Job</th><th scope="col" class="${account.num}">Runs</th></tr></thead>`,
    );
    expect(html).toContain(
      '<tbody><tr><td>status-check</td><td>3</td></tr><tr><td>expire-lots</td><td>1</td></tr></tbody>',
    );
    expect(html).not.toContain('No job has run yet.');
  });

  it('says the empty sentence instead of a table, or draws an empty table without one', () => {
    const empty = renderToStaticMarkup(
      createElement(AdminTable<Job>, { columns, items: [], row, empty: 'No job has run yet.' }),
    );
    expect(empty).toBe(`<p class="${account.empty}">No job has run yet.</p>`);

    const bare = renderToStaticMarkup(createElement(AdminTable<Job>, { columns, items: [], row }));
    expect(bare).toContain('<tbody></tbody>');
    expect(bare).not.toContain('data-testid');
  });

  it('marks a column left out on narrow screens, alone or with the number class', () => {
    const html = renderToStaticMarkup(
      createElement(AdminTable<Job>, {
        columns: ['Job', { label: 'Created', hideSm: true }, { label: 'Runs', num: true, hideSm: true }],
        items: [],
        row,
      }),
    );
    expect(html).toContain(
      `<tr><th scope="col">Job</th><th scope="col" class="${account.hideSm}">Created</th>` +
        `<th scope="col" class="${account.num} ${account.hideSm}">Runs</th></tr>`,
    );
  });
});
