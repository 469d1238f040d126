'use client';
/**
 * Start, change or cancel the monthly plan of a person or a team (the owner picks the procedure).
 * The rules (new period, 5× cap, keep until period end) live in the ledger.
 */
import { useState } from 'react';
import { Alert, Button } from '@bgr/ui';
import { type CreditOwner, usePlanMutations } from './credit-owner';
import { ConfirmDialog } from '../dashboard/ConfirmDialog';
import { errorSentence } from '../dashboard/error-sentence';
import { CreditsField, Field } from './form-parts';
import { creditsNumber, creditsText, formatDateTime } from '../dashboard/format';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

type Plan = { monthlyUnits: number; periodEnd: Date; cancelAtPeriodEnd: boolean } | null;

export function PlanForm({ owner, plan }: { owner: CreditOwner; plan: Plan }) {
  const { refresh } = useRefresh();
  const [monthly, setMonthly] = useState(plan ? creditsNumber(plan.monthlyUnits).replace(/,/g, '') : '');
  const [note, setNote] = useState('');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const onSuccess = () => {
    setNote('');
    setConfirmCancel(false);
    refresh();
  };
  const { start, change, cancel } = usePlanMutations(owner, onSuccess);
  const who = 'teamId' in owner ? 'The team keeps its' : 'The user keeps their';
  const active = Boolean(plan && !plan.cancelAtPeriodEnd);
  const failed = start.error ?? change.error;
  const busy = start.isPending || change.isPending || cancel.isPending;

  return (
    <section className={account.card} aria-labelledby="plan-form-title">
      <div className={account.cardHeader}>
        <h2 id="plan-form-title">Subscription plan</h2>
        {plan ? (
          plan.cancelAtPeriodEnd ? (
            <span className={account.badgeWarn}>Cancelled · ends {formatDateTime(plan.periodEnd)}</span>
          ) : (
            <span className={account.badgeOk}>{creditsText(plan.monthlyUnits)} / month</span>
          )
        ) : (
          <span className={account.badgeMuted}>No plan</span>
        )}
      </div>
      <p className={account.muted}>
        {plan
          ? `Changing the plan starts a new period now: unused subscription credits carry over up to 5× the new budget and the new budget is added at once.${plan.cancelAtPeriodEnd ? ' It also resumes the cancelled plan.' : ''}`
          : 'Starting a plan adds the monthly budget now and renews it every month on this day.'}
      </p>
      <form
        className={styles.formStack}
        onSubmit={(e) => {
          e.preventDefault();
          const input = { monthlyCredits: Number(monthly), note: note.trim() || undefined };
          if (plan) change.mutate(input);
          else start.mutate(input);
        }}
      >
        <div className={styles.formGrid}>
          <CreditsField id="plan-monthly" label="Monthly credits" value={monthly} onChange={setMonthly} required />
          <Field id="plan-note" label="Note for the audit log" value={note} onChange={setNote} maxLength={500} />
        </div>
        <div className={account.actions}>
          <Button type="submit" loading={start.isPending || change.isPending} disabled={!monthly || busy}>
            {plan ? 'Change plan' : 'Start plan'}
          </Button>
          {active ? (
            <Button
              variant="secondary"
              loading={cancel.isPending}
              disabled={busy}
              onClick={() => {
                cancel.reset();
                setConfirmCancel(true);
              }}
            >
              Cancel plan
            </Button>
          ) : null}
        </div>
        {failed ? <Alert tone="error">{errorSentence(failed)}</Alert> : null}
      </form>
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel the plan"
        confirmLabel="Cancel plan"
        danger
        withNote
        busy={cancel.isPending}
        error={cancel.error ? errorSentence(cancel.error) : null}
        onConfirm={(n) => cancel.mutate({ note: n })}
        onClose={() => setConfirmCancel(false)}
      >
        {plan
          ? `${who} subscription and rollover credits until ${formatDateTime(plan.periodEnd)}; after that they are gone. Pay-as-you-go and promo credits are not affected.`
          : null}
      </ConfirmDialog>
    </section>
  );
}
