import { serverCaller } from '~/trpc/server';
import { formatDateTime } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import { capsSentence, countCutSentence, IMPROVEMENT_EXPORT_MAX_FILES } from './export/caps';

export const metadata = { title: 'Improvement images' };

export default async function ImprovementsPage() {
  const { caller } = await serverCaller();
  const [items, total] = await Promise.all([
    caller.admin.improvements({ limit: 200 }),
    caller.admin.improvementsTotal(),
  ]);

  return (
    <section className={account.card} aria-labelledby="impr-title">
      <div className={account.cardHeader}>
        <h2 id="impr-title">Images for quality improvement</h2>
        {items.length > 0 ? (
          <a
            className="bgr-btn bgr-btn--primary bgr-btn--sm"
            href="/admin/improvements/export"
            download
            data-testid="export-zip"
          >
            Download all as ZIP
          </a>
        ) : null}
      </div>
      <p className={account.muted}>
        Images people sent through the API&apos;s <span className={account.inlineCode}>/improve</span> endpoint, and web
        uploads whose owner allowed their use for quality improvements. Consent can be withdrawn, so the list is read
        fresh each time.
      </p>
      {items.length > 0 ? (
        <p className={account.muted} data-testid="export-caps">
          {capsSentence()}
          {total > IMPROVEMENT_EXPORT_MAX_FILES ? ` ${countCutSentence(total)}` : null}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p className={account.empty}>No images have been contributed yet.</p>
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
