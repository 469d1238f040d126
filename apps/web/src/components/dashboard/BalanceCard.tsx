/**
 * Balance in total and per bucket, plus held credits (server component: plain numbers in, markup
 * out). For a team member the total also counts the team credits open to them (the team's pool up
 * to what their monthly cap leaves), shown as a bucket of its own.
 */
import type { BalanceBuckets, TeamPart } from '~/server/balance-view';
import { BUCKET_LABELS, creditsNumber } from './format';
import styles from './dashboard.module.css';

/** What can be spent now (`totalUnits`: own credits plus, for a team member, the team part below) and its buckets. */
export type BalanceView = BalanceBuckets;

export type TeamPartView = TeamPart;

export function BalanceCard({
  balance,
  team = null,
  title = 'Your credits',
}: {
  balance: BalanceView;
  team?: TeamPartView | null;
  title?: string;
}) {
  const buckets = [
    ['subscription', balance.subscriptionUnits],
    ['rollover', balance.rolloverUnits],
    ['payg', balance.paygUnits],
    ['promo', balance.promoUnits],
  ] as const;
  return (
    <section className={styles.balance} aria-labelledby="balance-title">
      <div className={styles.total}>
        <h2 id="balance-title">{title}</h2>
        <p className={styles.totalNumber} data-testid="balance-total">
          {creditsNumber(balance.totalUnits)}
          <span> credits available</span>
        </p>
        {balance.heldUnits > 0 ? (
          <p className={styles.held} data-testid="balance-held">
            {creditsNumber(balance.heldUnits)} more held for downloads in progress
          </p>
        ) : null}
        {team ? (
          <p className={styles.held} data-testid="balance-team-line">
            {team.capLeftUnits === null
              ? `Includes ${creditsNumber(team.availableUnits)} from ${team.name}.`
              : `Includes ${creditsNumber(team.availableUnits)} from ${team.name} (your monthly cap leaves ${creditsNumber(team.capLeftUnits)}).`}
          </p>
        ) : null}
      </div>
      <dl className={styles.buckets}>
        {buckets.map(([kind, units]) => (
          <div key={kind} className={styles.bucket} data-testid={`bucket-${kind}`}>
            <dt>{BUCKET_LABELS[kind]}</dt>
            <dd>{creditsNumber(units)}</dd>
          </div>
        ))}
        {team ? (
          <div className={styles.bucket} data-testid="bucket-team">
            <dt>Team</dt>
            <dd>{creditsNumber(team.availableUnits)}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
