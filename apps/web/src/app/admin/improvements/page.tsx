import { serverCaller } from '~/trpc/server';
import { formatDateTime } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import { ImprovementRangeForm } from '~/components/admin/ImprovementRangeForm';
import { dayRangeText, parseDayRange } from '~/lib/day-range';
import { capsSentence, countCutSentence, IMPROVEMENT_EXPORT_MAX_FILES } from './export/caps';

export const metadata = { title: 'Improvement images' };

/**
 * The list and the total follow the date range in the address (?from=&to=, whole UTC days): the
 * form's Show button reloads the page with it, its download button sends the dates typed to the
 * export (off, with a sentence, while they are not a range; the export sends a browser back here
 * with a bad range, so the sentence shows then too).
 */
export default async function ImprovementsPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  // The dates as given (the form shows them, and says what is wrong with them); a bad range lists all.
  const typed = { from: one(params.from) ?? '', to: one(params.to) ?? '' };
  const parsed = parseDayRange(typed);
  const range = parsed.ok ? parsed.range : { from: null, to: null };
  const within = dayRangeText(range);
  const { caller } = await serverCaller();
  const query = { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
  const [items, total] = await Promise.all([
    caller.admin.improvements({ limit: 200, ...query }),
    caller.admin.improvementsTotal(query),
  ]);

  return (
    <section className={account.card} aria-labelledby="impr-title">
      <div className={account.cardHeader}>
        <h2 id="impr-title">Images for quality improvement</h2>
      </div>
      <ImprovementRangeForm initial={typed} listed={range} total={total} />
      <p className={account.muted}>
        Images people sent through the API&apos;s <span className={account.inlineCode}>/improve</span> endpoint, and web
        uploads whose owner allowed their use for quality improvements. Consent can be withdrawn, so the list is read
        fresh each time.
      </p>
      <p className={account.muted} data-testid="export-caps">
        {`${total.toLocaleString('en-US')} ${total === 1 ? 'image' : 'images'}${within ? ` ${within}` : ''}. `}
        {capsSentence()}
        {total > IMPROVEMENT_EXPORT_MAX_FILES
          ? ` ${countCutSentence(total, IMPROVEMENT_EXPORT_MAX_FILES, within)} Choose earlier dates to export the older ones.`
          : null}
      </p>
      {items.length === 0 ? (
        <p className={account.empty}>
          {within ? `No images were contributed ${within}.` : 'No images have been contributed yet.'}
        </p>
      ) : (
        <div className={account.tableWrap}>
          <table className={account.table} data-testid="improvements-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">File</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td className={account.nowrap}>{formatDateTime(i.createdAt)}</td>
                  <td style={{ overflowWrap: 'break-word' }}>{i.userEmail}</td>
                  <td style={{ overflowWrap: 'break-word' }}>
                    {i.filename}
                    {i.tag ? <div className={`${account.muted} ${account.small}`}>Tag: {i.tag}</div> : null}
                  </td>
                  <td>
                    {i.origin === 'api-improve' ? (
                      <span className={account.badge}>API /improve</span>
                    ) : (
                      <span className={account.badgeOk}>Web, with consent</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
