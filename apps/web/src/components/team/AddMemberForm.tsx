'use client';
/**
 * Adds a person to the team by email, with an optional monthly cap. Admins also pick the role; an
 * owner adds members only (and only when the team lets owners manage members, checked again on the
 * server). The person must already have an account.
 */
import { useState } from 'react';
import { Alert, Button } from '@bgr/ui';
import { errorSentence } from '../dashboard/error-sentence';
import { useRefresh } from '../admin/useAdminMutation';
import { type MemberScope, useAddMember } from './member-mutations';
import account from '../dashboard/account.module.css';
import admin from '../admin/admin.module.css';

export function AddMemberForm({ scope }: { scope: MemberScope }) {
  const { refresh } = useRefresh();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'owner' | 'member'>('member');
  const [cap, setCap] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const add = useAddMember(scope, () => {
    setAdded(email.trim());
    setEmail('');
    setCap('');
    setRole('member');
    refresh();
  });

  return (
    <form
      className={admin.formStack}
      aria-label="Add a member"
      onSubmit={(e) => {
        e.preventDefault();
        setAdded(null);
        add.reset();
        add.mutate({ email: email.trim(), role, monthlyCredits: cap.trim() === '' ? null : Number(cap) });
      }}
    >
      <div className={admin.formGrid}>
        <div className={account.field}>
          <label htmlFor="member-email">Email of the person to add</label>
          <input
            id="member-email"
            type="email"
            className="bgr-input"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="off"
          />
        </div>
        <div className={account.field}>
          <label htmlFor="member-cap">Monthly cap in credits (optional)</label>
          <input
            id="member-cap"
            type="number"
            inputMode="decimal"
            min="0"
            step="0.25"
            className="bgr-input"
            value={cap}
            onChange={(e) => setCap(e.target.value)}
            placeholder="No cap"
          />
        </div>
      </div>
      {scope.as === 'admin' ? (
        <fieldset className={admin.radioRow} style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="visually-hidden">Role in the team</legend>
          <label className={admin.radio}>
            <input type="radio" name="member-role" checked={role === 'member'} onChange={() => setRole('member')} />{' '}
            Member
          </label>
          <label className={admin.radio}>
            <input type="radio" name="member-role" checked={role === 'owner'} onChange={() => setRole('owner')} /> Owner
          </label>
        </fieldset>
      ) : null}
      <div className={account.actions}>
        <Button type="submit" loading={add.isPending} disabled={!email.trim()}>
          Add to the team
        </Button>
      </div>
      {add.error ? <Alert tone="error">{errorSentence(add.error)}</Alert> : null}
      {added && add.isSuccess ? <Alert tone="success">Added {added} to the team.</Alert> : null}
    </form>
  );
}
