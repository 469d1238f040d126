/** The subscription (budget, period, rollover cap) and what expires next. */
import Link from 'next/link';
import { creditsWord, unitsToCredits } from '@bgr/credits';
import { BUCKET_LABELS, creditsNumber, creditsText, formatDate, formatDateTime } from './format';
import type { RouterOutputs } from './router-types';
import account from './account.module.css';
import styles from './dashboard.module.css';

type Summary = RouterOutputs['dashboard']['summary'];

export function PlanCard({
  subscription,
  forTeam = false,
}: {
  subscription: Summary['subscription'];
  /** A team owner's view of the team's plan: the same facts, another sentence when there is none. */
  forTeam?: boolean;
}) {
  return (
    <section className={account.card} aria-labelledby="plan-title">
      <div className={account.cardHeader}>
        <h2 id="plan-title">Subscription</h2>
        {subscription ? (
          subscription.cancelAtPeriodEnd ? (
            <span className={account.badgeWarn}>Ends {formatDate(subscription.periodEnd)}</span>
          ) : (
            <span className={account.badgeOk}>Active</span>
          )
        ) : null}
      </div>
      {subscription ? (
        <dl className={styles.facts}>
          <div>
            <dt>Monthly budget</dt>
            <dd data-testid="plan-monthly">{creditsText(subscription.monthlyUnits)}</dd>
          </div>
          <div>
            <dt>{subscription.cancelAtPeriodEnd ? 'Credits kept until' : 'Current period ends'}</dt>
            <dd data-testid="plan-period-end">{formatDateTime(subscription.periodEnd)}</dd>
          </div>
          <div>
            <dt>Rollover cap</dt>
            <dd>{creditsText(subscription.monthlyUnits * 5)}</dd>
          </div>
        </dl>
      ) : forTeam ? (
        <p className={account.muted}>
          The team has no subscription. An administrator can start one; until then members use the team&apos;s
          pay-as-you-go and promotional credits.
        </p>
      ) : (
        <p className={account.muted}>
          You have no subscription. An administrator can start one for you; until then you can use pay-as-you-go and
          promotional credits. <Link href="/help#subscription">How subscriptions work</Link>
        </p>
      )}
    </section>
  );
}

export function ExpiriesCard({ nextExpiries }: { nextExpiries: Summary['nextExpiries'] }) {
  return (
    <section className={account.card} aria-labelledby="expiry-title">
      <div className={account.cardHeader}>
        <h2 id="expiry-title">Expiring next</h2>
      </div>
      {nextExpiries.length === 0 ? (
        <p className={account.muted}>None of your credits has an expiry date.</p>
      ) : (
        <ul className={styles.expiries} data-testid="next-expiries">
          {nextExpiries.slice(0, 4).map((e) => (
            <li key={`${e.kind}-${new Date(e.expiresAt).getTime()}`}>
              <span>
                <strong>{creditsNumber(e.units)}</strong> {BUCKET_LABELS[e.kind].toLowerCase()}{' '}
                {creditsWord(unitsToCredits(e.units))}
              </span>
              <span className={account.muted}>{formatDateTime(e.expiresAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
