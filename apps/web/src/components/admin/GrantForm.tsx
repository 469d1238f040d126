'use client';
/**
 * Grant PAYG (expires two years after today, by the rules in @bgr/credits) or promo credits (expiry
 * chosen here), to a person or to a team: the same form, the owner picks the procedure.
 */
import { useState } from 'react';
import { paygExpiry } from '@bgr/credits';
import { type CreditOwner, useGrant } from './credit-owner';
import { CreditsField, Field, RadioRow, SubmitRow } from './form-parts';
import { formatDate, formatDateTime } from '../dashboard/format';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

const KINDS = { payg: 'Pay-as-you-go', promo: 'Promo' } as const;

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
        <RadioRow legend="Kind of credits" name="grant-kind" value={kind} onChange={setKind} options={KINDS} />
        <div className={styles.formGrid}>
          <CreditsField id="grant-credits" label="Credits" value={credits} onChange={setCredits} required />
          {kind === 'promo' ? (
            <Field
              id="grant-expires"
              label="Expires after (optional)"
              type="date"
              value={expires}
              onChange={setExpires}
              hint={
                expires
                  ? `Usable until the end of ${formatDate(`${expires}T12:00:00Z`)} (UTC).`
                  : 'Leave empty: never expires.'
              }
            />
          ) : (
            <div className={account.field}>
              <span className={account.fieldLabel}>Expires</span>
              <span className={account.hint} style={{ paddingTop: 10 }}>
                Two years after purchase: {formatDateTime(paygExpiry(new Date()))}.
              </span>
            </div>
          )}
        </div>
        <Field
          id="grant-note"
          label="Note for the audit log"
          value={note}
          onChange={setNote}
          maxLength={500}
          placeholder="e.g. Invoice 2026-114"
        />
        <SubmitRow
          call={grant}
          disabled={!credits}
          success={grant.isSuccess ? 'Credits granted and recorded in the audit log.' : null}
        >
          Grant credits
        </SubmitRow>
      </form>
    </section>
  );
}
