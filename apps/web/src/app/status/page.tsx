import type { Metadata } from 'next';
import { AutoRefresh } from '~/components/status/AutoRefresh';
import {
  describeDatabase,
  describeErrors,
  describeInference,
  describeStorage,
  HEADLINES,
} from '~/components/status/describe';
import { HistoryBars } from '~/components/status/HistoryBars';
import styles from '~/components/status/status.module.css';
import account from '~/components/dashboard/account.module.css';
import { ERROR_RATE_THRESHOLD } from '~/server/status/compute';
import { currentStatus } from '~/server/status/current';
import { recentHistory } from '~/server/status/history';

export const metadata: Metadata = { title: 'Platform status' };
export const dynamic = 'force-dynamic';

/** The public status page (no sign-in): the state now, each part in a sentence, the last 24 hours. */
export default async function StatusPage() {
  const [s, hours] = await Promise.all([currentStatus(), recentHistory()]);
  const { status, components, checkedAt } = s.public;
  const headline = HEADLINES[status];
  const errors = describeErrors(s.errorRate, ERROR_RATE_THRESHOLD);
  const rows = [
    {
      name: 'Cut-out servers',
      up: components.inference.ready > 0,
      partly: components.inference.ready < components.inference.total,
      text: describeInference(components.inference.ready, components.inference.total),
    },
    {
      name: 'Database',
      up: components.database === 'up',
      partly: false,
      text: describeDatabase(components.database === 'up'),
    },
    {
      name: 'File storage',
      up: components.storage === 'up',
      partly: false,
      text: describeStorage(components.storage === 'up'),
    },
  ];
  const time = new Date(checkedAt).toISOString().slice(11, 19);

  return (
    <div className={styles.page} data-testid="status-page" data-status={status}>
      <AutoRefresh seconds={30} />
      <h1>Platform status</h1>
      <section className={`${styles.banner} ${styles.kind}`} data-kind={status} aria-live="polite">
        <span className={styles.dot} aria-hidden="true" />
        <div>
          <h2 data-testid="status-headline">{headline.title}</h2>
          <p>{headline.body}</p>
          {errors && <p>{errors}</p>}
        </div>
      </section>

      <section className={account.card} aria-labelledby="parts-title">
        <h2 id="parts-title">Parts of the service</h2>
        <ul className={styles.components}>
          {rows.map((r) => {
            const kind = !r.up ? 'down' : r.partly ? 'degraded' : 'up';
            return (
              <li key={r.name} className={styles.kind} data-kind={kind}>
                <strong>{r.name}</strong>
                <p style={{ margin: 0 }}>{r.text}</p>
                <span className={styles.state}>
                  {kind === 'up' ? 'Working' : kind === 'down' ? 'Down' : 'Partly working'}
                </span>
              </li>
            );
          })}
        </ul>
        <p className={styles.meta}>
          Checked at {time} UTC. This page refreshes every 30 seconds; the same facts are at{' '}
          <a href="/api/status">/api/status</a> as JSON.
        </p>
      </section>

      <section className={account.card} aria-labelledby="history-title">
        <h2 id="history-title">Last 24 hours</h2>
        {hours ? (
          <HistoryBars hours={hours} />
        ) : (
          <p className={account.muted}>The history cannot be read while the database is not answering.</p>
        )}
        <p className={styles.meta}>
          Each bar is one hour (UTC), coloured by the worst check recorded in it; the service is checked once a minute.
        </p>
      </section>
    </div>
  );
}
