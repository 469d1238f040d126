'use client';
/**
 * Grant PAYG (expires two years after today, by the rules in @bgr/credits) or promo credits (expiry
 * chosen here), to a person or to a team: the same form, the owner picks the procedure.
 */
import { useState } from 'react';
import { Alert, Button } from '@bgr/ui';
import { paygExpiry } from '@bgr/credits';
import { type CreditOwner, useGrant } from './credit-owner';
import { errorSentence } from '../dashboard/error-sentence';
import { formatDate, formatDateTime } from '../dashboard/format';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

export function GrantForm({ owner }: { owner: CreditOwner }) {
  const { refresh } = useRefresh();
  const [credits, setCredits] = useState('');
  const [kind, setKind] = useState<'payg' | 'promo'>('payg');
  const [expires, setExpires] = useState('');
  const [note, setNote] = useState('');
  const grant = useGrant(owner, () => {
    setCredits('');
    setNote('');
    setExpires('');
    refresh();
  });

  return (
    <section className={account.card} aria-labelledby="grant-title">
      <h2 id="grant-title">Grant credits</h2>
      <form
        className={styles.formStack}
        onSubmit={(e) => {
          e.preventDefault();
          grant.reset();
          grant.mutate({
            credits: Number(credits),
            kind,
            // A promo expiry date means "usable through that day": it expires at the end of the day (UTC).
            expiresAt: kind === 'promo' && expires ? new Date(`${expires}T23:59:59.999Z`) : undefined,
            note: note.trim() || undefined,
          });
        }}
      >
        <fieldset className={styles.radioRow} style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="visually-hidden">Kind of credits</legend>
          <label className={styles.radio}>
            <input
              type="radio"
              name="grant-kind"
              value="payg"
              checked={kind === 'payg'}
              onChange={() => setKind('payg')}
            />{' '}
            Pay-as-you-go
          </label>
          <label className={styles.radio}>
            <input
              type="radio"
              name="grant-kind"
              value="promo"
              checked={kind === 'promo'}
              onChange={() => setKind('promo')}
            />{' '}
            Promo
          </label>
        </fieldset>
        <div className={styles.formGrid}>
          <div className={account.field}>
            <label htmlFor="grant-credits">Credits</label>
            <input
              id="grant-credits"
              className="bgr-input"
              type="number"
              inputMode="decimal"
              min="0.25"
              step="0.25"
              value={credits}
              onChange={(e) => setCredits(e.target.value)}
              required
            />
          </div>
          {kind === 'promo' ? (
            <div className={account.field}>
              <label htmlFor="grant-expires">Expires after (optional)</label>
              <input
                id="grant-expires"
                className="bgr-input"
                type="date"
                value={expires}
                onChange={(e) => setExpires(e.target.value)}
              />
              <span className={account.hint}>
                {expires
                  ? `Usable until the end of ${formatDate(`${expires}T12:00:00Z`)} (UTC).`
                  : 'Leave empty: never expires.'}
              </span>
            </div>
          ) : (
            <div className={account.field}>
              <span className={account.fieldLabel}>Expires</span>
              <span className={account.hint} style={{ paddingTop: 10 }}>
                Two years after purchase: {formatDateTime(paygExpiry(new Date()))}.
              </span>
            </div>
          )}
        </div>
        <div className={account.field}>
          <label htmlFor="grant-note">Note for the audit log</label>
          <input
            id="grant-note"
            className="bgr-input"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={500}
            placeholder="e.g. Invoice 2026-114"
          />
        </div>
        <div className={account.actions}>
          <Button type="submit" loading={grant.isPending} disabled={!credits}>
            Grant credits
          </Button>
        </div>
        {grant.error ? <Alert tone="error">{errorSentence(grant.error)}</Alert> : null}
        {grant.isSuccess ? <Alert tone="success">Credits granted and recorded in the audit log.</Alert> : null}
      </form>
    </section>
  );
}
