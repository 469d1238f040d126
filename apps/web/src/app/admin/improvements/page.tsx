import { serverCaller } from '~/trpc/server';
import { formatDateTime } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import { dayRangeText, parseDayRange } from '~/server/admin/improvement-range';
import { capsSentence, countCutSentence, IMPROVEMENT_EXPORT_MAX_FILES } from './export/caps';

export const metadata = { title: 'Improvement images' };

/**
 * The list, the total and the export follow the date range in the address (?from=&to=, whole UTC
 * days): the form's Show button reloads the page with it, its download button sends the same
 * dates to the export.
 */
export default async function ImprovementsPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = parseDayRange({ from: one(params.from), to: one(params.to) });
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
      <form className={account.form} method="get" action="/admin/improvements" data-testid="export-range">
        <div className={account.field} style={{ flex: '0 1 170px' }}>
          <label htmlFor="export-from">From (UTC)</label>
          <input id="export-from" className="bgr-input" type="date" name="from" defaultValue={range.from ?? ''} />
        </div>
        <div className={account.field} style={{ flex: '0 1 170px' }}>
          <label htmlFor="export-to">To (UTC)</label>
          <input id="export-to" className="bgr-input" type="date" name="to" defaultValue={range.to ?? ''} />
        </div>
        <div className={account.actions}>
          <button type="submit" className="bgr-btn bgr-btn--secondary bgr-btn--sm" data-testid="export-range-show">
            Show
          </button>
          <button
            type="submit"
            formAction="/admin/improvements/export"
            className="bgr-btn bgr-btn--primary bgr-btn--sm"
            data-testid="export-zip"
            disabled={!parsed.ok || total === 0}
          >
            Download as ZIP
          </button>
        </div>
      </form>
      {parsed.ok ? null : (
        <p className={account.error} role="alert" data-testid="export-range-error">
          {parsed.error}
        </p>
      )}
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
