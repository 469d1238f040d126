/** The user's recent usage: one row per preview, download or API call. */
import { creditsNumber, formatDateTime } from './format';
import type { RouterOutputs } from './router-types';
import styles from './account.module.css';

type UsageEvent = RouterOutputs['dashboard']['usage']['events'][number];

const WHAT: Record<string, string> = {
  preview: 'Preview',
  small: 'Preview (small)',
  regular: 'Preview (regular)',
  hd: 'HD download',
  full: 'Full size',
  medium: 'Medium',
  '4k': '4K',
  '50MP': '50 MP',
  auto: 'Auto size',
};

export function describeUsage(kind: string): string {
  return WHAT[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

const CHANNELS: Record<UsageEvent['channel'], string> = { web: 'Web', api: 'API', apps: 'Apps' };

/** Where a call came from: the site, an API client, or our own apps (the bgr CLI). */
export function describeChannel(channel: UsageEvent['channel']): string {
  return CHANNELS[channel];
}

export function UsageTable({ events }: { events: UsageEvent[] }) {
  if (events.length === 0) {
    return <p className={styles.empty}>Nothing yet. Remove a background on the home page to get started.</p>;
  }
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="usage-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">What</th>
            <th scope="col" className={styles.hideSm}>
              Channel
            </th>
            <th scope="col" className={styles.num}>
              Credits
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className={styles.nowrap}>{formatDateTime(e.at)}</td>
              <td>
                {describeUsage(e.kind)}
                <span className={`${styles.showSm} ${styles.muted}`}> · {describeChannel(e.channel)}</span>
                {e.ok ? null : (
                  <>
                    {' '}
                    <span className={styles.badgeDanger} title={e.errorCode ?? undefined}>
                      Failed
                    </span>
                  </>
                )}
              </td>
              <td className={styles.hideSm}>{describeChannel(e.channel)}</td>
              <td className={styles.num}>
                {e.units === 0 ? <span className={styles.muted}>Free</span> : creditsNumber(e.units)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
