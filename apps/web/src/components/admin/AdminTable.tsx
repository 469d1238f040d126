/**
 * The admin console's table: the scrolling wrapper, a header row of column names (numbers aligned
 * right) and one body row per item, or a sentence in place of the table when there is nothing to
 * list. The System page, a person's or team's ledger tables and the users, teams, usage and help
 * feedback pages draw their tables with it, so they look alike and read alike to assistive
 * technology and the Playwright stories (table, column headers, rows).
 */
import type { ReactNode } from 'react';
import account from '../dashboard/account.module.css';

/**
 * A column header: its text, or its label with `num` for a column of numbers (aligned right) and
 * `hideSm` for a column left out on narrow screens (the row's cell in it takes `account.hideSm` too).
 */
export type AdminColumn = string | { label: ReactNode; num?: boolean; hideSm?: boolean };

export function AdminTable<Item>({
  columns,
  items,
  row,
  empty,
  testId,
}: {
  columns: readonly AdminColumn[];
  items: readonly Item[];
  /** The item's `<tr>`, with its key. */
  row: (item: Item) => ReactNode;
  /** Shown instead of the table when there are no items; without it the table is drawn empty. */
  empty?: ReactNode;
  /** The table's data-testid. */
  testId?: string;
}) {
  if (items.length === 0 && empty !== undefined) return <p className={account.empty}>{empty}</p>;
  return (
    <div className={account.tableWrap}>
      <table className={account.table} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label, num, hideSm } = typeof column === 'string' ? { label: column } : column;
              const className = [num && account.num, hideSm && account.hideSm].filter(Boolean).join(' ');
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their order is their identity.
                <th key={i} scope="col" className={className || undefined}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{items.map(row)}</tbody>
      </table>
    </div>
  );
}
