import Link from 'next/link';
import { serverCaller } from '~/trpc/server';
import { UsageCharts } from '~/components/admin/UsageCharts';
import { creditsNumber, formatDateTime } from '~/components/dashboard/format';
import { describeChannel, describeUsage } from '~/components/dashboard/UsageTable';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';
import { AdminTable } from '~/components/admin/AdminTable';

export const metadata = { title: 'Usage' };

const PERIODS = [7, 30, 90] as const;

export default async function UsagePage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const { days: daysParam } = await searchParams;
  const days = PERIODS.find((p) => String(p) === daysParam) ?? 30;
  const { caller } = await serverCaller();
  const o = await caller.admin.usage({ days });
  const topMax = Math.max(1, ...o.topUsers.map((u) => u.units));

  return (
    <>
      <div className={account.cardHeader} style={{ marginBottom: 0 }}>
        <h2 style={{ margin: 0 }}>Last {days} days</h2>
        <nav className={account.actions} aria-label="Period">
          {PERIODS.map((p) => (
            <Link
              key={p}
              href={`/admin/usage?days=${p}`}
              className={`bgr-btn bgr-btn--sm ${p === days ? 'bgr-btn--primary' : 'bgr-btn--secondary'}`}
              aria-current={p === days ? 'page' : undefined}
            >
              {p} days
            </Link>
          ))}
        </nav>
      </div>

      <div className={styles.stats}>
        <div className={styles.stat}>
          <span>Images processed</span>
          <strong data-testid="usage-images">{o.totals.images.toLocaleString('en-GB')}</strong>
        </div>
        <div className={styles.stat}>
          <span>Credits spent</span>
          <strong>{creditsNumber(o.totals.units)}</strong>
        </div>
        <div className={styles.stat}>
          <span>Failed requests</span>
          <strong>{o.totals.failures.toLocaleString('en-GB')}</strong>
        </div>
        <div className={styles.stat}>
          <span>Active users</span>
          <strong>{o.totals.activeUsers.toLocaleString('en-GB')}</strong>
        </div>
      </div>

      <section className={account.card} aria-label="Charts">
        <div className={account.grid2}>
          <UsageCharts days={o.days} />
        </div>
      </section>

      <div>
        <section className={account.card} aria-labelledby="top-title">
          <h2 id="top-title">Top users</h2>
          <AdminTable
            columns={[
              'User',
              { label: 'Images', num: true },
              { label: 'Credits', num: true },
              { label: <span className="visually-hidden">Share</span> },
            ]}
            items={o.topUsers}
            empty="Nobody has used the service in this period."
            row={(u) => (
              <tr key={u.userId}>
                <td style={{ overflowWrap: 'break-word' }}>
                  <Link href={`/admin/users/${u.userId}`}>{u.email}</Link>
                </td>
                <td className={account.num}>{u.images.toLocaleString('en-GB')}</td>
                <td className={account.num}>{creditsNumber(u.units)}</td>
                <td style={{ width: '25%' }}>
                  <div className={styles.bar} aria-hidden="true">
                    <span style={{ width: `${(u.units / topMax) * 100}%` }} />
                  </div>
                </td>
              </tr>
            )}
          />
        </section>
      </div>

      <section className={account.card} aria-labelledby="fail-title">
        <h2 id="fail-title">Failures</h2>
        {o.failuresByCode.length === 0 ? (
          <p className={account.empty}>No failed requests in this period.</p>
        ) : (
          <>
            <div className={account.actions} style={{ marginBottom: 12 }}>
              {o.failuresByCode.map((f) => (
                <span key={f.errorCode} className={account.badgeDanger}>
                  {f.errorCode} · {f.count}
                </span>
              ))}
            </div>
            <AdminTable
              columns={['When', 'User', 'What', 'Error']}
              items={o.recentFailures}
              row={(f) => (
                <tr key={f.id}>
                  <td className={account.nowrap}>{formatDateTime(f.at)}</td>
                  <td style={{ overflowWrap: 'break-word' }}>{f.email}</td>
                  <td>
                    {describeUsage(f.kind)} · {describeChannel(f.channel)}
                  </td>
                  <td>
                    <span className={account.inlineCode}>{f.errorCode ?? 'unknown'}</span>
                  </td>
                </tr>
              )}
            />
          </>
        )}
      </section>
    </>
  );
}
