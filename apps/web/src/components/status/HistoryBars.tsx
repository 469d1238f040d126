import type { HourOfChecks } from '@bgr/db/queries/operations';
import { describeHour } from './describe';
import styles from './status.module.css';

const LEGEND = [
  { kind: 'operational', label: 'Operational' },
  { kind: 'degraded', label: 'Degraded' },
  { kind: 'down', label: 'Down' },
  { kind: 'none', label: 'No checks recorded' },
] as const;

/** The last 24 hours, one bar per hour coloured by the worst recorded check, oldest on the left. */
export function HistoryBars({ hours }: { hours: HourOfChecks[] }) {
  return (
    <div className={styles.history}>
      <ol
        className={styles.bars}
        aria-label="Status for each of the last 24 hours, oldest first"
        data-testid="status-bars"
      >
        {hours.map((h) => {
          const label = describeHour(h.hour, h.worst, h.checks);
          return (
            <li
              key={h.hour.toISOString()}
              className={`${styles.bar} ${styles.kind}`}
              data-kind={h.worst ?? 'none'}
              title={label}
              aria-label={label}
            >
              <span className="visually-hidden">{label}</span>
            </li>
          );
        })}
      </ol>
      <div className={styles.axis} aria-hidden="true">
        <span>24 hours ago</span>
        <span>Now</span>
      </div>
      <ul className={styles.legend} aria-label="Legend">
        {LEGEND.map((l) => (
          <li key={l.kind}>
            <span className={`${styles.swatch} ${styles.kind}`} data-kind={l.kind} aria-hidden="true" />
            {l.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
