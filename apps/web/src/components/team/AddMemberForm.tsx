'use client';
/**
 * Adds a person to the team by email, with an optional monthly cap. Admins also pick the role; an
 * owner adds members only (and only when the team lets owners manage members, checked again on the
 * server). The person must already have an account.
 */
import { useState } from 'react';
import { CreditsField, Field, RadioRow, SubmitRow } from '../admin/form-parts';
import { useRefresh } from '../admin/useAdminMutation';
import { type MemberScope, useAddMember } from './member-mutations';
import admin from '../admin/admin.module.css';

const ROLES = { member: 'Member', owner: 'Owner' } as const;

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
        <Field
          id="member-email"
          label="Email of the person to add"
          type="email"
          value={email}
          onChange={setEmail}
          required
          autoComplete="off"
        />
        <CreditsField
          id="member-cap"
          label="Monthly cap in credits (optional)"
          min="0"
          value={cap}
          onChange={setCap}
          placeholder="No cap"
        />
      </div>
      {scope.as === 'admin' ? (
        <RadioRow legend="Role in the team" name="member-role" value={role} onChange={setRole} options={ROLES} />
      ) : null}
      <SubmitRow
        call={add}
        disabled={!email.trim()}
        success={added && add.isSuccess ? `Added ${added} to the team.` : null}
      >
        Add to the team
      </SubmitRow>
    </form>
  );
}
