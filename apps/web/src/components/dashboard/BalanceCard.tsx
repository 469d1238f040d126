/** Balance in total and per bucket, plus held credits (server component: plain numbers in, markup out). */
import { BUCKET_LABELS, creditsNumber } from './format';
import styles from './dashboard.module.css';

export type BalanceView = {
  totalUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  heldUnits: number;
};

export function BalanceCard({ balance, title = 'Your credits' }: { balance: BalanceView; title?: string }) {
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
      </div>
      <dl className={styles.buckets}>
        {buckets.map(([kind, units]) => (
          <div key={kind} className={styles.bucket} data-testid={`bucket-${kind}`}>
            <dt>{BUCKET_LABELS[kind]}</dt>
            <dd>{creditsNumber(units)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
